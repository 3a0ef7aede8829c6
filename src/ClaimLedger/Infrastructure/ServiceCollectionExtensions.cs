using FluentValidation;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimLedger.Infrastructure;

public sealed record ClaimLedgerOptions(string ConnectionString, string Schema = LedgerStore.DefaultSchema, bool AutoCreateSchema = false);

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
        services.AddScoped<WriteBatch>();
        services.AddScoped<Documents.SourceReferences>();
        services.AddScoped<ClaimWriter>();
        services.AddSingleton<Ledger.LedgerRows>();

        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(IdempotencyBehavior<,>));
        services.AddScoped<IdempotencyScope>();

        var assembly = typeof(ServiceCollectionExtensions).Assembly;
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(IsHandlerOrValidator))
            {
                services.AddScoped(contract, type);
            }
        }

        return services;
    }

    private static bool IsHandlerOrValidator(Type contract) =>
        contract.IsGenericType && contract.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IRequestHandler<,>) || definition == typeof(IValidator<>));
}
