using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Documents;

/// <summary>
/// Registers a source document once. Registering the same id with the same text and details again changes
/// nothing; any difference is refused, because a document's text never changes (a revision is a new document).
/// The registration is a ledger entry (<see cref="DocumentRegistered"/>, on the document's own stream), from which
/// verification derives the stored document again: every path that registers a document comes through here.
/// </summary>
public static class RegisterDocument
{
    public const int MaxTextLength = 5_000_000;

    public static bool IsWebAddress(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public sealed record Command(
        string? DocumentId, string Publisher, string Title, DateOnly? PublishedOn, string? Url, string Language,
        DocumentKind Kind, string Text, WriteContext Context) : IRequest<Result>
    {
        public DateOnly? RetrievedOn { get; init; }

        public string? ArchiveUrl { get; init; }

        public string? AttributedTo { get; init; }

        /// <summary>How the publication date was worked out when the document does not state it.</summary>
        public string? DateInference { get; init; }
    }

    public sealed record Result(string DocumentId, string Sha256, int Length, bool Created);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.DocumentId).MustBeSlug().When(c => c.DocumentId is not null);
            RuleFor(c => c.Publisher).RequiredText(200);
            RuleFor(c => c.Title).RequiredText(500);
            RuleFor(c => c.Url).Must(IsWebAddress).When(c => c.Url is not null).WithMessage("an absolute http or https URL");
            RuleFor(c => c.ArchiveUrl).Must(IsWebAddress).When(c => c.ArchiveUrl is not null).WithMessage("an absolute http or https URL of an archived copy");
            RuleFor(c => c.AttributedTo).OptionalText(200);
            RuleFor(c => c.Url).NotEmpty().When(c => c.Kind == DocumentKind.Cited)
                .WithMessage("required for a cited source: the address a reader follows to check it");
            RuleFor(c => c.PublishedOn).NotNull().When(c => c.Kind == DocumentKind.Cited)
                .WithMessage("required for a cited source: the date it was published (yyyy-MM-dd)");
            RuleFor(c => c.RetrievedOn).NotNull().When(c => c.Kind == DocumentKind.Cited)
                .WithMessage("required for a cited source: the date it was read at its URL (yyyy-MM-dd)");
            RuleFor(c => c.Language).NotEmpty().Matches("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$").WithMessage("a language tag such as en or zh-Hans");
            RuleFor(c => c.Kind).IsInEnum().WithMessage("Article, Evidence or Cited");
            RuleFor(c => c.Text).NotEmpty().WithMessage("the document's full text; it cannot be empty")
                .MaximumLength(MaxTextLength).WithMessage($"at most {MaxTextLength:N0} characters")
                .Must(t => t is null || !t.Contains('\0', StringComparison.Ordinal)).WithMessage("text without NUL characters, which PostgreSQL cannot store");
            RuleFor(c => c.DateInference).OptionalText(2000);
            RuleFor(c => c.DateInference).Null().When(c => c.PublishedOn is null)
                .WithMessage("only with a publication date: say how that date was inferred");
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public sealed class Handler(IDocumentStore store, TimeProvider clock, ILedgerStreams ledger) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var session = store.LightweightSession();
            var result = await RegisterAsync(session, ledger, command, clock.GetUtcNow(), cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            return result;
        }

        /// <summary>Registers the document in the given session, or recognises it as already registered; the caller saves.</summary>
        internal static async Task<Result> RegisterAsync(
            IDocumentSession session, ILedgerStreams ledger, Command command, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var id = command.DocumentId ?? Slug.From($"{command.Publisher} {command.Title}");
            var at = WriteTime.Of(command.Context, now);
            var document = new SourceDocument(
                id, command.Publisher.Trim(), command.Title.Trim(), command.PublishedOn, command.Url, command.Language, command.Kind,
                command.Text, SourceDocument.HashOf(command.Text), command.Context.Actor, at)
            {
                RetrievedOn = command.RetrievedOn, ArchiveUrl = command.ArchiveUrl, AttributedTo = command.AttributedTo?.Trim(),
                DateInference = string.IsNullOrWhiteSpace(command.DateInference) ? null : command.DateInference.Trim(),
            };

            var existing = await session.LoadAsync<SourceDocument>(id, cancellationToken);
            if (existing is not null)
            {
                return SameDocument(existing, document)
                    ? new Result(id, existing.Sha256, existing.Text.Length, Created: false)
                    : throw new ClaimRuleException("document-immutable",
                        $"Document '{id}' is already registered with other {(existing.Sha256 == document.Sha256 ? "details" : "text")}. " +
                        "A document never changes: register the revision under a new id.");
            }

            session.Insert(document);
            await ledger.AppendAsync(session, LedgerStreamIds.Document(id), 0, [DocumentRegistered.Of(document)], at, command.Context, cancellationToken);
            return new Result(id, document.Sha256, document.Text.Length, Created: true);
        }

        private static bool SameDocument(SourceDocument a, SourceDocument b) =>
            a with { RegisteredBy = "", RegisteredAt = default, Text = "" } == b with { RegisteredBy = "", RegisteredAt = default, Text = "" };
    }
}
