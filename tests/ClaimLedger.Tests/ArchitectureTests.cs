using System.Reflection;
using NetArchTest.Rules;

namespace ClaimLedger.Tests;

/// <summary>The layout rules the compiler cannot see: which part of the ledger may use which.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Core = typeof(Claims.Claim).Assembly;
    private static readonly Assembly Api = typeof(Api.ApiHost).Assembly;
    private static readonly Assembly Cli = Assembly.Load("ClaimLedger.Cli");

    public static TheoryData<string, string> ForbiddenDependencies => new()
    {
        // Shared building blocks know nothing of what is built on them.
        { "ClaimLedger.Common", "ClaimLedger.Claims" },
        { "ClaimLedger.Common", "ClaimLedger.Documents" },
        { "ClaimLedger.Common", "ClaimLedger.Infrastructure" },
        { "ClaimLedger.Common", "ClaimLedger.Ledger" },
        // Documents are registered and cited; they know nothing of the claims citing them.
        { "ClaimLedger.Documents", "ClaimLedger.Claims" },
        { "ClaimLedger.Documents", "ClaimLedger.Infrastructure" },
        { "ClaimLedger.Documents", "ClaimLedger.Ledger" },
        // The domain decides; storage and hashing are built around it, never the other way round (no cycles).
        { "ClaimLedger.Claims", "ClaimLedger.Infrastructure" },
        { "ClaimLedger.Claims", "ClaimLedger.Ledger" },
        { "ClaimLedger.Claims", "ClaimLedger.Seeds" },
        { "ClaimLedger.Ledger", "ClaimLedger.Infrastructure" },
        { "ClaimLedger.Ledger", "ClaimLedger.Seeds" },
        { "ClaimLedger.Infrastructure", "ClaimLedger.Seeds" },
        { "ClaimLedger.Infrastructure", "ClaimLedger.Operations" },
        // Checkpoints, proofs and witnesses are built on the ledger's hashes; the composition root wires them, not the reverse.
        { "ClaimLedger.Ledger", "ClaimLedger.Transparency" },
        { "ClaimLedger.Transparency", "ClaimLedger.Infrastructure" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenDependencies))]
    public void a_namespace_does_not_use_what_is_built_on_it(string user, string used)
    {
        Assert.NotEmpty(Types.InAssembly(Core).That().ResideInNamespace(user).GetTypes());

        var result = Types.InAssembly(Core).That().ResideInNamespace(user).ShouldNot().HaveDependencyOn(used).GetResult();

        Assert.True(result.IsSuccessful, $"{user} depends on {used} in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    public static TheoryData<string> EntryPointsThatOnlySendRequests => ["ClaimLedger.Api.Endpoints", "ClaimLedger.Cli.Commands"];

    /// <summary>
    /// Endpoints and CLI verbs build requests and send them; storage is reached only through the requests' handlers.
    /// The verbs that manage the database server itself (db migrate|status|stop|script, serve, cluster) are the one exception.
    /// </summary>
    [Theory]
    [MemberData(nameof(EntryPointsThatOnlySendRequests))]
    public void endpoints_and_verbs_reach_storage_only_through_requests(string entryPoints)
    {
        var assembly = entryPoints.StartsWith("ClaimLedger.Api", StringComparison.Ordinal) ? Api : Cli;
        var selected = Types.InAssembly(assembly).That().ResideInNamespace(entryPoints)
            .And().DoNotHaveNameMatching("^(Db|Migrate|Status|Stop|Script|Serve|Cluster)");
        Assert.NotEmpty(selected.GetTypes());

        var result = selected.ShouldNot().HaveDependencyOnAny("Marten", "Npgsql", "ClaimLedger.Infrastructure", "ClaimLedger.Ledger.LedgerRows").GetResult();

        Assert.True(result.IsSuccessful, $"these reach storage directly: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
