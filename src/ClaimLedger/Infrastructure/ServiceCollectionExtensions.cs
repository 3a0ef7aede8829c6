using ClaimLedger.Common;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClaimLedger.Infrastructure;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The composition root shared by the CLI, the API and the tests, so every entry point runs the same pipeline.
    /// MediatR 5 has no container integration of its own here, so its factory, handlers and behaviours are registered by hand.
    /// </summary>
    public static IServiceCollection AddClaimLedger(this IServiceCollection services, ClaimLedgerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddMarten(opts => LedgerStore.Configure(opts, options.ConnectionString, options.Schema, options.AutoCreateSchema));
        services.AddSingleton(provider => LedgerStore.Forms(provider.GetRequiredService<IDocumentStore>()));
        services.AddSingleton<Ledger.LedgerChain>();
        services.AddSingleton<Claims.SourceReferences>();
        services.AddScoped<ClaimWriter>();
        services.AddSingleton<LedgerAppender>();
        services.AddSingleton<ILedgerStreams>(provider => provider.GetRequiredService<LedgerAppender>());
        services.AddSingleton<Ledger.LedgerRows>();
        services.AddSingleton<Ledger.DerivedStateCheck>();
        // Checkpoint signing defaults to the key file in the ledger's home; an entry point that configures it registers its own after this.
        services.TryAddSingleton(_ => Transparency.TransparencyOptions.InHome(LocalPostgres.DefaultHome()));
        services.AddSingleton<Transparency.CheckpointSigner>();
        services.AddSingleton<Transparency.PublishedCheckpoints>();
        services.AddSingleton<Access.ApiKeyCache>();
        services.AddSingleton(provider => new PointReads(
            MultiHostConnections.DataSource(PointReads.ConnectionString(options.ConnectionString)), provider.GetRequiredService<IDocumentStore>()));

        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        // Outermost first: a standby read leaves this pipeline whole; a retry repeats validation and the idempotency check.
        // The behaviours hold no per-request state, so they are built once per request type instead of once per request.
        services.AddSingleton<StandbyLedger>();
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(StandbyReadBehavior<,>));
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(ConnectionRetryBehavior<,>));
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(IdempotencyBehavior<,>));
        services.AddSingleton<Ledger.LedgerSequencer>();
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(Ledger.SequencedReadBehavior<,>));
        services.AddSingleton<Matching.SentenceEmbedder>();
        services.AddSingleton<Matching.MatchIndex>();
        services.AddSingleton<Matching.EmbedClaims.Handler>();
        services.AddSingleton<Matching.ClaimEmbeddingQueue>();
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(Matching.ClaimEmbeddingUpkeep<,>));

        var assembly = typeof(ServiceCollectionExtensions).Assembly;
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(IsHandler))
            {
                services.AddScoped(contract, type);
            }

            if (typeof(Claims.IClaimCommand).IsAssignableFrom(type))
            {
                services.AddScoped(typeof(IRequestHandler<,>).MakeGenericType(type, typeof(WriteResult)), typeof(ClaimCommandHandler<>).MakeGenericType(type));
            }
        }

        return services;
    }

    private static bool IsHandler(Type contract) =>
        contract.IsGenericType && contract.GetGenericTypeDefinition() is var definition
        && definition == typeof(IRequestHandler<,>);
}
