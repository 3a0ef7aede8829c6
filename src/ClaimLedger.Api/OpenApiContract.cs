using System.Text.Json.Nodes;
using ClaimLedger.Api.Endpoints;
using ClaimLedger.Api.Security;
using ClaimLedger.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ClaimLedger.Api;

/// <summary>
/// What <c>/openapi/v1.json</c> says beyond what ASP.NET Core infers from the endpoints: the key scheme, the
/// concurrency and idempotency headers, the answers every secured operation can give, examples, and schema names
/// that say what they hold. Checked with <c>@redocly/cli lint</c> (OpenApiContractTests).
/// </summary>
public static class OpenApiContract
{
    public const string SchemeName = "ApiKey";

    /// <summary>Nested records whose own names say nothing once out of their use case ("Result", "Report").</summary>
    private static readonly HashSet<string> VagueNames = ["Created", "Result", "Report", "Summary", "Step", "Entry", "Cause", "Diff", "Query"];

    public static void Configure(OpenApiOptions openApi, ApiOptions options)
    {
        openApi.CreateSchemaReferenceId = type =>
        {
            var name = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            if (type.Type == typeof(Access.Role))
            {
                // Another enum is called Role too (a citation's role); the two must not share one schema.
                return "KeyRole";
            }

            var declaring = type.Type.DeclaringType;
            return name is not null && declaring is not null && VagueNames.Contains(name)
                ? declaring.Name.Contains(name, StringComparison.Ordinal) ? declaring.Name : declaring.Name + name
                : name;
        };
        openApi.AddDocumentTransformer((document, _, _) => Describe(document, options));
        openApi.AddOperationTransformer((operation, context, _) => Describe(operation, context, options));
        openApi.AddSchemaTransformer((schema, context, _) => Describe(schema, context.JsonTypeInfo.Type));
    }

    private static Task Describe(OpenApiDocument document, ApiOptions options)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ClaimLedger API",
            Version = "1",
            Description = "A fact-check ledger: claims found in news articles, each an event stream with its sources, " +
                "corroborations, disputes, corrections and verdicts, and the audit tools that prove nobody edited history. " +
                "Errors are RFC 9457 problem details carrying a correlationId.",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-ClaimLedger-Proprietary" },
        };
        document.Servers = [new OpenApiServer { Url = options.PublicUrl.TrimEnd('/'), Description = "Where this server says it is reached" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthentication.Header,
                Description = "A key made with `claimledger keys add --person NAME --role checker|auditor|admin` or POST /keys.",
            },
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Claims", Description = "Claims as event streams: record, source, corroborate, dispute, correct, rate, retract; and read them as of any version." },
            new() { Name = "Documents", Description = "Source documents, registered once with their full text and SHA-256." },
            new() { Name = "Audit", Description = "For auditors: the Merkle digest, verification, inclusion proofs and reports." },
            new() { Name = "Keys", Description = "For admins: API keys and their roles." },
        };
        return Task.CompletedTask;
    }

    private static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, ApiOptions options)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        operation.Responses ??= [];
        operation.OperationId ??= OperationId(context.Description.HttpMethod, context.Description.RelativePath);
        if (policy is not null)
        {
            var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] };
            operation.Security = policy == Policies.Read && options.OpenReads ? [requirement, new OpenApiSecurityRequirement()] : [requirement];
            Problem(operation, "401", "No key, or a key that is unknown, malformed or revoked.");
            Problem(operation, "429", "Too many wrong keys from this address and key prefix; wait for Retry-After.");
            if (policy != Policies.Read)
            {
                Problem(operation, "403", "The key's role may not do this.");
            }
        }

        else
        {
            // Public: an empty requirement says so explicitly (no key needed).
            operation.Security = [new OpenApiSecurityRequirement()];
        }

        if (!operation.Responses.Keys.Any(status => status.StartsWith('2')))
        {
            // An endpoint whose result type says nothing of its success still answers 200 when it succeeds.
            operation.Responses["200"] = new OpenApiResponse { Description = "Success." };
        }

        var writes = metadata.OfType<RequiresIfMatch>().Any();
        if (writes)
        {
            Header(operation, "If-Match", required: true, "The claim's ETag from your last read (its version in quotes, e.g. \"3\"). Without it: 428; stale: 412 with the current version.", "\"3\"");
        }

        if (metadata.OfType<IdempotentWrite>().Any())
        {
            Header(operation, "Idempotency-Key", required: false, "Makes a retry safe: the same key with the same request returns the first result and writes nothing; with a different request it is refused.", "7f7c2b9e-retry-1");
            Header(operation, Problems.CorrelationHeader, required: false, "Ties this change to others made for the same task; recorded on the event.", "desk-task-42");
        }

        if (metadata.OfType<ReturnsEtag>().Any())
        {
            foreach (var (status, response) in operation.Responses)
            {
                if (status.StartsWith('2') && response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The claim's version after this request, quoted; send it back as If-Match.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        Example = JsonValue.Create("\"4\""),
                    };
                }
            }
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse concrete && int.TryParse(status, out var code)
                && (string.IsNullOrEmpty(concrete.Description) || concrete.Description == Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code)))
            {
                concrete.Description = Describe(status, concrete.Description);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>For an endpoint mapped without a name: "POST tools/text-from-html" becomes "postToolsTextFromHtml".</summary>
    private static string OperationId(string? method, string? path)
    {
        var words = (path ?? "").Split(['/', '-', '{', '}'], StringSplitOptions.RemoveEmptyEntries);
        return (method ?? "get").ToLowerInvariant() + string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    private static string Describe(string status, string? fallback) => status switch
    {
        "200" => "Success.",
        "201" => "Created.",
        "400" => "Invalid fields, each named with what was expected there.",
        "404" => "No claim, document or key has this id.",
        "409" => "A rule of the ledger forbids this; the rule is named.",
        "412" => "Someone changed the claim first; the current version is in the body and the ETag.",
        "413" => "The body is over the size limit.",
        "428" => "If-Match is required.",
        _ => fallback ?? "See the problem body.",
    };

    private static void Problem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
    }

    private static void Header(OpenApiOperation operation, string name, bool required, string description, string example)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Header, Required = required, Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 }, Example = JsonValue.Create(example),
        });
    }

    private static Task Describe(OpenApiSchema schema, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n)!).ToList();
            if (type == typeof(Rating))
            {
                schema.Description = "A verdict's outcome: True to False rate the claim on the scale; Unverifiable (with the sources tried) and Opinion (not rated) are outside it. " +
                    "The labels (\"Mostly true\", \"Half true\", \"Mostly false\") are accepted too, in any case; answers always use these names.";
            }
        }

        if (type == typeof(Attribution))
        {
            schema.Description = "Whether a quote was said as reported. \"Not found\" and \"not-found\" are accepted too; answers always use these names.";
        }

        if (type == typeof(ClaimValue))
        {
            schema.Description = "The claim's structured content; which fields it has depends on the claim's kind.";
        }

        if (OpenApiExamples.For(type) is { } example)
        {
            schema.Examples = [example];
        }

        return Task.CompletedTask;
    }
}
