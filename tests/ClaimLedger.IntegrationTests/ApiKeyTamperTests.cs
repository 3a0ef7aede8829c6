using ClaimLedger.Access;
using ClaimLedger.Ledger;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// A database administrator edits API keys by SQL, as the review did: raising a checker's key to admin must not give
/// its holder admin rights, nor may a key be moved to another person, revived, or slipped in. A key's issue and
/// revocation are ledger entries: authentication refuses a stored key they do not make, and verification names it.
/// </summary>
public class ApiKeyTamperTests : IAsyncLifetime
{
    private readonly LedgerFixture _ledger = new();
    private CreateApiKey.Created _key = null!;

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        _key = await _ledger.SendAsync(new CreateApiKey.Command("Mei Lin", Role.Checker, "tests"));
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    private Task<ApiKey?> AuthenticateAsync() => _ledger.SendAsync(new AuthenticateApiKey.Query(_key.Key));

    private Task Sql(string set) => Forger.SqlAsync(_ledger, $"update {{s}}.mt_doc_apikey set data = {set} where id = '{_key.Id}'");

    private Task<VerifyLedger.Report> VerifyAsync() => _ledger.SendAsync(new VerifyLedger.Query());

    [Fact]
    public async Task issuing_and_revoking_keys_are_ledger_entries_that_verify()
    {
        var other = await _ledger.SendAsync(new CreateApiKey.Command("Jonas Weber", Role.Auditor, "tests"));
        var revoked = await _ledger.SendAsync(new RevokeApiKey.Command(other.Id, "Root Admin"));
        var again = await _ledger.SendAsync(new RevokeApiKey.Command(other.Id, "Root Admin"));

        var report = await VerifyAsync();

        Assert.True(report.Intact, string.Join("; ", report.Breaks));
        // The fixture's three document registrations, two issues and one revocation (revoking again adds nothing).
        Assert.Equal((6L, 6L, 0), (report.Entries, report.Events, report.Claims));
        Assert.Equal(revoked.RevokedAt, again.RevokedAt);
        Assert.NotNull(await AuthenticateAsync());
        Assert.Null(await _ledger.SendAsync(new AuthenticateApiKey.Query(other.Key)));
    }

    [Fact]
    public async Task a_revoked_key_revived_by_sql_is_refused_and_named()
    {
        await _ledger.SendAsync(new RevokeApiKey.Command(_key.Id, "Root Admin"));
        Assert.Null(await AuthenticateAsync());

        await Sql("data - 'revokedAt'");

        Assert.Null(await AuthenticateAsync());
        BreakAssert.Only(await VerifyAsync(), $"api-key:{_key.Id}", BreakKinds.ApiKeyEdited, "revokedAt");
    }

    [Fact]
    public async Task a_key_inserted_by_sql_with_a_valid_binding_is_refused_and_named()
    {
        const string id = "0123456789ab";
        var secret = new string('s', 43);
        await using (var session = _ledger.Store.LightweightSession())
        {
            session.Insert(ApiKey.Create(id, "Mallory", Role.Admin, secret, DateTimeOffset.UtcNow, "tests"));
            await session.SaveChangesAsync();
        }

        Assert.Null(await _ledger.SendAsync(new AuthenticateApiKey.Query($"clk_{id}_{secret}")));
        BreakAssert.Only(await VerifyAsync(), $"api-key:{id}", BreakKinds.ApiKeyUnissued);
    }

    [Fact]
    public async Task a_key_whose_role_is_raised_by_sql_is_named_by_verify()
    {
        await Sql("jsonb_set(data, '{role}', '\"Admin\"')");

        BreakAssert.Only(await VerifyAsync(), $"api-key:{_key.Id}", BreakKinds.ApiKeyEdited, "role");
    }

    [Fact]
    public async Task a_key_rebound_by_sql_to_a_secret_of_the_forgers_with_a_raised_role_is_refused_and_named()
    {
        var secret = new string('f', 43);
        var forged = ApiKey.Create(_key.Id, "Mei Lin", Role.Admin, secret, DateTimeOffset.UtcNow, "tests");
        await Sql($"jsonb_set(jsonb_set(data, '{{role}}', '\"Admin\"'), '{{secretSha256}}', '\"{forged.SecretSha256}\"')");

        Assert.Null(await _ledger.SendAsync(new AuthenticateApiKey.Query($"clk_{_key.Id}_{secret}")));
        BreakAssert.Only(await VerifyAsync(), $"api-key:{_key.Id}", BreakKinds.ApiKeyEdited, "secretSha256");
    }

    [Fact]
    public async Task a_key_whose_revocation_event_is_deleted_along_with_the_row_revived_is_still_refused()
    {
        await _ledger.SendAsync(new RevokeApiKey.Command(_key.Id, "Root Admin"));
        await Forger.SqlAsync(_ledger, $"delete from {{s}}.mt_events where stream_id = 'api-key:{_key.Id}' and version = 2; " +
                                       $"update {{s}}.mt_streams set version = 1 where id = 'api-key:{_key.Id}'; " +
                                       $"update {{s}}.mt_doc_apikey set data = data - 'revokedAt' where id = '{_key.Id}'");

        Assert.Null(await AuthenticateAsync());
        Assert.Contains((await VerifyAsync()).Breaks, b => b.ClaimId == $"api-key:{_key.Id}" && b.Version == 2);
    }

    [Fact]
    public async Task an_untouched_key_authenticates_with_its_role_and_person()
    {
        var key = await AuthenticateAsync();

        Assert.Equal((Role.Checker, "Mei Lin"), (key!.Role, key.Person));
    }

    [Fact]
    public async Task a_key_whose_role_is_raised_by_sql_is_refused()
    {
        await Sql("jsonb_set(data, '{role}', '\"Admin\"')");

        Assert.Null(await AuthenticateAsync());
    }

    [Fact]
    public async Task a_key_moved_to_another_person_by_sql_is_refused()
    {
        await Sql("jsonb_set(data, '{person}', '\"Jonas Weber\"')");

        Assert.Null(await AuthenticateAsync());
    }

    [Fact]
    public async Task a_raised_key_passed_off_as_one_created_before_binding_is_refused()
    {
        await Sql("jsonb_set(jsonb_set(data, '{role}', '\"Admin\"'), '{binding}', '1')");

        Assert.Null(await AuthenticateAsync());
    }

    [Fact]
    public async Task a_key_with_a_stored_hash_that_is_not_hex_is_refused_not_an_error()
    {
        await Sql("jsonb_set(data, '{secretSha256}', '\"not-a-hash\"')");

        Assert.Null(await AuthenticateAsync());
    }
}
