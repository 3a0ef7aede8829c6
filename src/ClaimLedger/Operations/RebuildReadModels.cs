using System.Diagnostics;
using System.Runtime.CompilerServices;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using Marten;
using MediatR;
using Npgsql;

namespace ClaimLedger.Operations;

/// <summary>
/// An operator rebuilds every claim's read model from its events, as after a change to how claims are projected or
/// to repair a read model edited by hand. Each claim's events are folded with the same <see cref="ClaimEvolution.Evolve"/>
/// as the inline projection, and the read models are replaced in one transaction; the events and the ledger are only read.
/// Writes to claims wait until it commits; reads go on.
/// </summary>
public static class RebuildReadModels
{
    public sealed record Command(IProgress<long>? Progress = null) : IRequest<Result>;

    public sealed record Result(long Events, long Claims, TimeSpan Elapsed);

    public sealed class Handler(IDocumentStore store, ClaimLedgerOptions options) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var schema = options.Schema;
            await using var writing = new NpgsqlConnection(options.ConnectionString);
            await writing.OpenAsync(cancellationToken);
            await using var transaction = await writing.BeginTransactionAsync(cancellationToken);
            // A write to a claim updates its read model in its own transaction, so this lock holds every such write back;
            // events read after it is taken are therefore all the events there will be until the rebuild commits.
            await using (var lockOut = new NpgsqlCommand($"lock table {schema}.mt_doc_claim in exclusive mode; delete from {schema}.mt_doc_claim", writing))
            {
                await lockOut.ExecuteNonQueryAsync(cancellationToken);
            }

            var serializer = store.Options.Serializer();
            long events = 0, claims = 0;
            await using (var documents = await ClaimDocumentCopy.BeginAsync(writing, store, cancellationToken))
            {
                Claim? claim = null;
                await foreach (var (streamId, data) in EventsByClaimAsync(serializer, cancellationToken))
                {
                    if (claim is not null && claim.Id != streamId)
                    {
                        documents.Write(claim);
                        claims++;
                        claim = null;
                    }

                    claim = ClaimEvolution.Evolve(claim, data);
                    if (++events % 100_000 == 0)
                    {
                        command.Progress?.Report(events);
                    }
                }

                if (claim is not null)
                {
                    documents.Write(claim);
                    claims++;
                }

                await documents.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new Result(events, claims, clock.Elapsed);
        }

        /// <summary>Every claim event, claim by claim and in version order, read with plain SQL on a connection of its own.</summary>
        private async IAsyncEnumerable<(string StreamId, object Data)> EventsByClaimAsync(Marten.ISerializer serializer, [EnumeratorCancellation] CancellationToken ct)
        {
            var types = ClaimEventTypes();
            await using var reading = new NpgsqlConnection(options.ConnectionString);
            await reading.OpenAsync(ct);
            await using var query = new NpgsqlCommand(
                $"select stream_id, type, data from {options.Schema}.mt_events where stream_id <> '{LedgerRows.MartenTombstoneStream}' and {LedgerStreamIds.ClaimsOnlySql("stream_id")} order by stream_id, version", reading);
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var type = types.TryGetValue(reader.GetString(1), out var known)
                    ? known
                    : throw new InvalidOperationException($"Claim '{reader.GetString(0)}' holds an event of unknown type '{reader.GetString(1)}'; this version of ClaimLedger cannot project it.");
                yield return (reader.GetString(0), ClaimEventUpcasts.Upcast(serializer.FromJson(type, reader, 2)));
            }
        }

        /// <summary>The claim event types by the names Marten stores them under.</summary>
        private Dictionary<string, Type> ClaimEventTypes() =>
            LedgerStore.StoredEventNames(store).Where(stored => LedgerStore.ClaimEventTypes.Contains(stored.Key))
                .ToDictionary(stored => stored.Value.Type, stored => stored.Key);
    }
}
