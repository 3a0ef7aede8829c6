using ClaimLedger.Benchmarks;
using MediatR;

namespace ClaimLedger.IntegrationTests;

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

        Assert.Equal(800, outcome.Accepted + outcome.Refused);
        Assert.True(outcome.Accepted > 300, $"only {outcome.Accepted} commands were accepted; the run proves little");
        Assert.True(outcome.Refused > 0, "no command was refused; the run never exercised a refusal");
        Assert.Equal((0, 0, 0), (outcome.Lost, outcome.Duplicated, outcome.Invented));
        Assert.True(outcome.ReadModelsMatch);
        Assert.True(outcome.LedgerIntact);
    }
}
