using ClaimLedger.Common;
using ClaimLedger.Documents;
using Marten.Services.BatchQuerying;

namespace ClaimLedger.Claims;

/// <summary>
/// Checks the spans a command cites against the registered documents and resolves their publishers. A document counts as
/// registered only with its registration entry in the ledger. The documents and their registrations are read in the
/// claim write's own batch, so citing costs no round trip of its own, and every command reads them afresh: a document
/// row slipped in, or a registration deleted, behind the ledger is refused by every process alike.
/// </summary>
public static class SourceReferences
{
    /// <summary>
    /// Adds the reads of the cited documents to <paramref name="batch"/>. The task completes once the batch has run: with
    /// every citation checked, or failed with every wrong one reported by the field it was given in.
    /// </summary>
    public static Task<ICheckedSources> Read(IBatchedQuery batch, IReadOnlyList<Citation> citations)
    {
        var ids = citations.Select(c => c.Reference.DocumentId).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return Task.FromResult<ICheckedSources>(new Checked([]));
        }

        var documents = batch.LoadMany<SourceDocument>().ById(ids);
        var registrations = ids.Select(id => batch.Events.FetchStreamState(LedgerStreamIds.Document(id))).ToArray();
        return CheckAsync(citations, documents, registrations);
    }

    private static async Task<ICheckedSources> CheckAsync(
        IReadOnlyList<Citation> citations, Task<IReadOnlyList<SourceDocument>> loaded, Task<JasperFx.Events.StreamState>[] registrations)
    {
        var registered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (await registration is { } state)
            {
                registered.Add(state.Key!);
            }
        }

        // A document row without its registration entry was slipped in behind the ledger: nothing may cite it.
        var documents = (await loaded).Where(d => registered.Contains(LedgerStreamIds.Document(d.Id))).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var errors = new List<FieldError>();
        var resolved = new Dictionary<SourceRef, ClaimSource>();
        foreach (var (field, reference) in citations)
        {
            if (!documents.TryGetValue(reference.DocumentId, out var document))
            {
                errors.Add(new($"{field}.document", $"a registered document id; '{reference.DocumentId}' is not registered (see: claimledger documents list)"));
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

    private sealed class Checked(Dictionary<SourceRef, ClaimSource> resolved) : ICheckedSources
    {
        public ClaimSource this[SourceRef reference] => resolved[reference];
    }
}
