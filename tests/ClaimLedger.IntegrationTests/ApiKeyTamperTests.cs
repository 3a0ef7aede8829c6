using ClaimLedger.Access;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// A database administrator edits API keys by SQL, as the review did: raising a checker's key to admin must not give
/// its holder admin rights, nor may a key be moved to another person.
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
