using System.Collections.Concurrent;
using System.Data.Common;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using Marten;
using Marten.Linq.QueryHandlers;
using Marten.Services.BatchQuerying;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Storage;

namespace ClaimLedger.Claims;

/// <summary>
/// Checks the spans a command cites against the registered documents and resolves their publishers. A document may be
/// cited only as registered: its row must have a registration entry in the ledger and agree with it (the text's SHA-256
/// and every detail), so a row inserted or edited behind the ledger is refused, by every process alike.
/// <para>
/// Checking a document against its registration reads the text and the entry; a process does that once per document row
/// and keeps the verified document, identified by the row's version (<c>xmin</c>, which any UPDATE or re-insert
/// changes), while the kept texts stay under <see cref="TextBudget"/>. Each command still reads, in the claim write's
/// own round trip, whether every cited row exists, is registered and is the row that was verified.
/// </para>
/// </summary>
public sealed class SourceReferences(IDocumentStore store, ILedgerStreams streams)
{
    /// <summary>The most text, in characters, the verified documents kept may hold; beyond it documents are verified per command.</summary>
    public const long TextBudget = 16 * 1024 * 1024;

    private readonly string _table = store.Options.FindOrResolveDocumentType(typeof(SourceDocument)).TableName.QualifiedName;
    private readonly string _streams = $"{store.Options.DatabaseSchemaName}.mt_streams";
    private readonly ConcurrentDictionary<string, (long Row, SourceDocument Document)> _verified = new();
    private long _keptCharacters;

    /// <summary>
    /// Adds the read of the cited rows' state to <paramref name="batch"/>. Once the batch has run, the returned check
    /// verifies any row this process has not verified yet (one more query, on the session it is given) and checks every
    /// citation: it returns them resolved, or fails with every wrong one reported by the field it was given in.
    /// </summary>
    public Func<IQuerySession, CancellationToken, Task<ICheckedSources>> Read(IBatchedQuery batch, IReadOnlyList<Citation> citations)
    {
        var ids = citations.Select(c => c.Reference.DocumentId).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return (_, _) => Task.FromResult<ICheckedSources>(new Checked([]));
        }

        var rows = batch.AddItem(new CitedRows(_table, _streams, ids));
        return async (session, ct) => Check(citations, await DocumentsAsync(session, await rows, ct));
    }

    private async Task<Dictionary<string, SourceDocument?>> DocumentsAsync(IQuerySession session, Dictionary<string, long> rows, CancellationToken ct)
    {
        // A registered row maps to its document when verified, or to null when it differs from its registration.
        var documents = new Dictionary<string, SourceDocument?>(StringComparer.Ordinal);
        var unverified = new List<string>();
        foreach (var (id, row) in rows)
        {
            if (_verified.TryGetValue(id, out var kept) && kept.Row == row)
            {
                documents[id] = kept.Document;
            }
            else
            {
                unverified.Add(id);
            }
        }

        if (unverified.Count == 0)
        {
            return documents;
        }

        await using var command = new NpgsqlCommand($"select data, xmin::text::bigint from {_table} where id = any(@ids)", (NpgsqlConnection)session.Connection!);
        command.Parameters.AddWithValue("ids", unverified.ToArray());
        var loaded = new List<(SourceDocument Document, long Row)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                loaded.Add((store.Options.Serializer().FromJson<SourceDocument>(reader, 0), reader.GetInt64(1)));
            }
        }

        foreach (var (document, row) in loaded)
        {
            var registration = await streams.ReadAsync(LedgerStreamIds.Document(document.Id), ct);
            var agrees = registration is [DocumentRegistered registered] && registered.Registers(document);
            documents[document.Id] = agrees ? document : null;
            if (agrees)
            {
                Keep(document, row);
            }
        }

        return documents;
    }

    private static Checked Check(IReadOnlyList<Citation> citations, Dictionary<string, SourceDocument?> documents)
    {
        var errors = new List<FieldError>();
        var resolved = new Dictionary<SourceRef, ClaimSource>();
        foreach (var (field, reference) in citations)
        {
            if (!documents.TryGetValue(reference.DocumentId, out var document))
            {
                // No row, or a row without its registration entry (slipped in behind the ledger): nothing may cite it.
                errors.Add(new($"{field}.document", $"a registered document id; '{reference.DocumentId}' is not registered (see: claimledger documents list)"));
                continue;
            }

            if (document is null)
            {
                errors.Add(new($"{field}.document",
                    $"a document as registered; '{reference.DocumentId}' was changed behind the ledger and differs from its registration (see: claimledger audit verify)"));
                continue;
            }

            if (reference.Problem(document.Text) is { } problem)
            {
                errors.Add(new(problem.Field is "" ? field : $"{field}.{problem.Field}", problem.Message));
                continue;
            }

            resolved[reference] = new ClaimSource(document.Id, document.Publisher, reference.Start, reference.End, reference.Excerpt);
        }

        return errors.Count > 0 ? throw new RequestValidationException(errors) : new Checked(resolved);
    }

    private void Keep(SourceDocument document, long row)
    {
        if (_verified.TryGetValue(document.Id, out var earlier))
        {
            _verified[document.Id] = (row, document);
            Interlocked.Add(ref _keptCharacters, document.Text.Length - earlier.Document.Text.Length);
        }
        else if (Interlocked.Add(ref _keptCharacters, document.Text.Length) > TextBudget || !_verified.TryAdd(document.Id, (row, document)))
        {
            Interlocked.Add(ref _keptCharacters, -document.Text.Length);
        }
    }

    /// <summary>Each cited row that exists and has a registration stream, with its row version.</summary>
    private sealed class CitedRows(string table, string streamsTable, string[] ids) : IQueryHandler<Dictionary<string, long>>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            var parameters = builder.AppendWithParameters(
                $"select d.id, d.xmin::text::bigint from {table} d where d.id = any(?) " +
                $"and exists (select 1 from {streamsTable} s where s.id = '{LedgerStreamIds.DocumentPrefix}' || d.id)");
            parameters[0].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text;
            parameters[0].Value = ids;
        }

        public async Task<Dictionary<string, long>> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
        {
            var rows = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(token))
            {
                rows[reader.GetString(0)] = reader.GetInt64(1);
            }

            return rows;
        }

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException("Cited rows are not JSON.");
    }

    private sealed class Checked(Dictionary<SourceRef, ClaimSource> resolved) : ICheckedSources
    {
        public ClaimSource this[SourceRef reference] => resolved[reference];
    }
}
