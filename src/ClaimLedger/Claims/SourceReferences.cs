using ClaimLedger.Common;
using ClaimLedger.Documents;
using Marten;

namespace ClaimLedger.Claims;

/// <summary>
/// Checks the spans a command cites against the registered documents and resolves their publishers. A document counts as
/// registered only with its registration entry in the ledger. Documents never change, so each one is loaded once per
/// scope: one CLI command or one HTTP request.
/// </summary>
public sealed class SourceReferences(IDocumentStore store)
{
    private readonly Dictionary<string, SourceDocument> _documents = [];

    /// <summary>Every citation checked; every one that is wrong is reported, by the field it was given in.</summary>
    public async Task<ICheckedSources> CheckAsync(IReadOnlyList<Citation> citations, CancellationToken ct)
    {
        var missing = citations.Select(c => c.Reference.DocumentId).Where(id => !_documents.ContainsKey(id)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            await using var session = store.QuerySession();
            foreach (var document in await session.LoadManyAsync<SourceDocument>(ct, missing))
            {
                // A document row without its registration entry was slipped in behind the ledger: nothing may cite it.
                if (await session.Events.FetchStreamStateAsync(LedgerStreamIds.Document(document.Id), ct) is not null)
                {
                    _documents[document.Id] = document;
                }
            }
        }

        var errors = new List<FieldError>();
        var resolved = new Dictionary<SourceRef, ClaimSource>();
        foreach (var (field, reference) in citations)
        {
            if (!_documents.TryGetValue(reference.DocumentId, out var document))
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
