using ClaimLedger.Benchmarks;
using MediatR;

namespace ClaimLedger.IntegrationTests;

[Trait("Category", "Slow")]
public class LoadTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    private sealed class Sender(LedgerFixture ledger) : IRequestSender
    {
        public Task<T> Send<T>(IRequest<T> request) => ledger.SendAsync(request);
    }

    [Fact]
    public async Task eight_writers_sending_mixed_commands_to_shared_claims_lose_duplicate_and_invent_nothing()
    {
        var outcome = await LoadRun.RunAsync(new Sender(ledger), writers: 8, commandsPerWriter: 100, sharedClaims: 50,
            "cnn-2023", LedgerFixture.CnnText, "gt-2018", LedgerFixture.GlobalTimesText);

        AssertNothingLostDuplicatedOrInvented(outcome, sent: 800);
    }

    /// <summary>Also refuses a run too one-sided to prove anything: most commands accepted, and some refused.</summary>
    internal static void AssertNothingLostDuplicatedOrInvented(LoadOutcome outcome, int sent)
    {
        Assert.Equal(sent, outcome.Accepted + outcome.Refused);
        Assert.True(outcome.Accepted > sent / 3, $"only {outcome.Accepted} of {sent} commands were accepted; the run proves little");
        Assert.True(outcome.Refused > 0, "no command was refused; the run never exercised a refusal");
        Assert.Equal((0, 0, 0), (outcome.Lost, outcome.Duplicated, outcome.Invented));
        Assert.True(outcome.ReadModelsMatch);
        Assert.True(outcome.LedgerIntact);
    }
}

/// <summary>The same load through the HTTP API: writes as a client would send them, reads and checks in process.</summary>
[Trait("Category", "Slow")]
public class HttpLoadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>
    /// Writes go over HTTP with If-Match. A command without an expected version reads the ETag first and, when someone
    /// else wrote in between (412), reads and tries again, as a client should.
    /// </summary>
    private sealed class HttpSender(ApiFixture api) : IRequestSender
    {
        private readonly HttpClient _client = api.Client(api.CheckerKey);

        public async Task<T> Send<T>(IRequest<T> request)
        {
            if (request is not Common.IClaimWrite)
            {
                return await api.Ledger.SendAsync(request);
            }

            if (request is Claims.RecordClaim.Command record)
            {
                return (T)(object)await Post("/claims", new { id = record.ClaimId, kind = record.Kind.ToString(), statement = record.Statement, value = record.Value, appearance = record.Appearance }, null);
            }

            var (claim, path, body, expected) = request switch
            {
                Claims.CorroborateClaim.Command c => (c.ClaimId, "corroborations", (object)new { source = c.Source, reason = c.Reason }, c.ExpectedVersion),
                Claims.RecordFinding.Command c => (c.ClaimId, "findings", new { field = c.Field, established = c.Established, note = c.Note, evidence = c.Evidence }, c.ExpectedVersion),
                Claims.IssueVerdict.Command c => (c.ClaimId, "verdicts", new { rating = c.Rating.ToString(), rationale = c.Rationale, evidence = c.Evidence }, c.ExpectedVersion),
                Claims.DisputeClaim.Command c => (c.ClaimId, "disputes", new { reason = c.Reason, evidence = c.Evidence }, c.ExpectedVersion),
                _ => throw new NotSupportedException(request.GetType().Name),
            };
            for (var attempt = 0; ; attempt++)
            {
                var version = expected ?? long.Parse((await _client.GetAsync($"/claims/{claim}")).Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    return (T)(object)await Post($"/claims/{claim}/{path}", body, version);
                }
                catch (Common.VersionConflictException) when (expected is null && attempt < 20)
                {
                }
            }
        }

        private async Task<Common.WriteResult> Post(string path, object body, long? ifMatch)
        {
            var response = await _client.SendAsync(ApiFixture.Post(path, body, ifMatch));
            return (int)response.StatusCode switch
            {
                200 or 201 => (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Common.WriteResult>(response.Content))!,
                409 => throw new Common.ClaimRuleException("http-409", await response.Content.ReadAsStringAsync()),
                412 => throw new Common.VersionConflictException(path, ifMatch ?? 0, 0),
                400 => throw new Common.RequestValidationException([new("http", await response.Content.ReadAsStringAsync())]),
                var status => throw new InvalidOperationException($"{status}: {await response.Content.ReadAsStringAsync()}"),
            };
        }
    }

    [Fact]
    public async Task eight_http_clients_sending_mixed_commands_to_shared_claims_lose_duplicate_and_invent_nothing()
    {
        var outcome = await LoadRun.RunAsync(new HttpSender(api), writers: 8, commandsPerWriter: 60, sharedClaims: 20,
            "cnn-2023", LedgerFixture.CnnText, "gt-2018", LedgerFixture.GlobalTimesText);

        LoadTests.AssertNothingLostDuplicatedOrInvented(outcome, sent: 480);
    }
}
