using ClaimLedger.Api.Endpoints;
using ClaimLedger.Api.Security;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Npgsql;

namespace ClaimLedger.Api;

/// <summary>The HTTP server: the same composition root as the CLI, thin endpoints, the web page, OpenAPI and health.</summary>
public static class ApiHost
{
    public static WebApplication Build(ClaimLedgerOptions ledger, ApiOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddClaimLedger(ledger);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.ReviewPublishing());
        builder.Services.ConfigureHttpJsonOptions(json => Configure(json));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<Problems.Handler>();
        builder.Services.AddProblemDetails(Problems.Configure);
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(a => Policies.Add(a, options));
        builder.Services.AddSingleton<FailedKeyAttempts>();
        builder.Services.AddHostedService<CheckpointPublisher>();
        builder.Services.AddHostedService<ApiKeyChangeListener>();
        builder.Services.AddHostedService<LedgerSequencerService>();
        builder.Services.AddOpenApi(o => OpenApiContract.Configure(o, options));
        builder.Services.AddHealthChecks().AddCheck("database", new DatabaseCheck(ledger.ConnectionString), tags: ["ready"])
            .AddCheck<SequencerHealthCheck>("sequencer", tags: ["ready"]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            RequestLimits.Configure(k.Limits);
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // API keys, not cookies, authenticate; the data-protection keys ASP.NET Core creates anyway protect nothing here.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // Marten logs every failed command with its stack trace, expected write races included; Problems.Handler logs
        // each failure once instead, at the level its class deserves.
        builder.Logging.AddFilter("Marten", LogLevel.Critical);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            if (await RequestLimits.RefuseOversizedAsync(context))
            {
                return;
            }

            // Kestrel enforces the same limit while reading; this answers early, and also under hosts that do not.
            if (context.Request.ContentLength > options.MaxBodyBytes)
            {
                await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large", $"Bodies are limited to {options.MaxBodyBytes:N0} bytes.");
                return;
            }

            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await next();
        });
        var web = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = web });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = web });
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/reference", () => Results.Redirect("/reference.html")).ExcludeFromDescription();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = SequencerHealthCheck.WriteReport });
        app.MapClaims(options);
        app.MapDocuments();
        app.MapAudit();
        app.MapKeys();
        app.MapWorkbench();
        app.MapTransparency();
        app.MapMatching();
        app.MapReviewPages();
        return app;
    }

    public static void Configure(JsonOptions json)
    {
        json.SerializerOptions.Converters.Add(new LenientEnumConverter());
        json.SerializerOptions.AllowOutOfOrderMetadataProperties = true;
    }

    private sealed class DatabaseCheck(string connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException e)
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.", e);
            }
        }
    }
}
