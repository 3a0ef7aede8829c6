using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Npgsql;

namespace ClaimLedger.Tests;

public class ConnectionRetryTests
{
    private static DisputeClaim.Command Dispute(string? key) =>
        new("claim-1", "a reason", [], null, new WriteContext("Mei Lin", IdempotencyKey: key));

    [Fact]
    public void a_write_is_repeated_after_a_lost_connection_only_when_its_idempotency_key_makes_that_safe()
    {
        Assert.True(ConnectionRetry.IsSafeToRepeat(Dispute("key-1")));
        Assert.False(ConnectionRetry.IsSafeToRepeat(Dispute(null)));
        Assert.False(ConnectionRetry.IsSafeToRepeat(Dispute("")));
        Assert.True(ConnectionRetry.IsSafeToRepeat(new ListClaims.Query()));
        Assert.True(ConnectionRetry.IsSafeToRepeat(new GetClaim.Query("claim-1")));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.CrashShutdown, true)]
    [InlineData(PostgresErrorCodes.CannotConnectNow, true)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction, true)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, true)]
    [InlineData(PostgresErrorCodes.UniqueViolation, false)]
    [InlineData(PostgresErrorCodes.SerializationFailure, false)]
    [InlineData(PostgresErrorCodes.InsufficientPrivilege, false)]
    public void only_failures_that_say_the_connection_or_the_primary_went_away_are_retried(string sqlState, bool retried)
    {
        var failure = new InvalidOperationException("wrapped", new PostgresException("failure", "FATAL", "FATAL", sqlState));

        Assert.Equal(retried, ConnectionRetry.IsLostConnection(failure));
    }

    [Fact]
    public void a_broken_socket_is_a_lost_connection_and_a_bug_is_not()
    {
        Assert.True(ConnectionRetry.IsLostConnection(new NpgsqlException("Exception while reading from stream", new IOException("reset"))));
        Assert.False(ConnectionRetry.IsLostConnection(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void only_a_connection_string_with_several_hosts_has_standbys_to_fail_over_to()
    {
        Assert.True(FailoverFence.HasStandbys("Host=127.0.0.1:5433,127.0.0.1:5434;Database=claimledger;Target Session Attributes=primary"));
        Assert.False(FailoverFence.HasStandbys("Host=127.0.0.1;Port=5432;Database=claimledger"));
    }
}
