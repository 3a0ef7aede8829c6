using ClaimLedger.Common;
using ClaimLedger.Ledger;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>An RFC 6962 consistency proof between two sizes of the ledger's tree, hashes in lowercase hex.</summary>
public sealed record ConsistencyProof(long OldSize, long NewSize, string OldRootHash, string NewRootHash, IReadOnlyList<string> Proof)
{
    public bool Holds() =>
        Hex.TryDecode(OldRootHash, out var oldRoot) && Hex.TryDecode(NewRootHash, out var newRoot) && Hex.TryDecodeAll(Proof, out var path)
        && MerkleTree.VerifyConsistency(OldSize, NewSize, oldRoot, newRoot, path);
}

/// <summary>Proves that the ledger's tree at <c>OldSize</c> is a prefix of its tree at <c>NewSize</c> (default: now).</summary>
public static class ProveConsistency
{
    public sealed record Query(long OldSize, long? NewSize = null) : IRequest<ConsistencyProof>, IReadsSequencedLog;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.OldSize).GreaterThanOrEqualTo(0).WithMessage("a tree size of 0 or more");
            RuleFor(q => q.OldSize).LessThanOrEqualTo(q => q.NewSize!.Value).When(q => q.NewSize is not null)
                .WithMessage(q => $"a tree size up to the new size, {q.NewSize:N0}");
        }
    }

    public sealed class Handler(LedgerRows rows) : IRequestHandler<Query, ConsistencyProof>
    {
        public async Task<ConsistencyProof> Handle(Query query, CancellationToken cancellationToken)
        {
            var leaves = await LogTree.LeavesAsync(rows, cancellationToken);
            var newSize = query.NewSize ?? leaves.Count;
            if (newSize > leaves.Count || query.OldSize > newSize)
            {
                throw new RequestValidationException([new(query.NewSize is null ? "old" : "new",
                    $"a tree size up to the ledger's current {leaves.Count:N0}; got {Math.Max(newSize, query.OldSize):N0}")]);
            }

            var (oldSize, size) = ((int)query.OldSize, (int)newSize);
            return new ConsistencyProof(oldSize, size,
                Convert.ToHexStringLower(MerkleTree.Root(leaves[..oldSize])),
                Convert.ToHexStringLower(MerkleTree.Root(leaves[..size])),
                MerkleTree.ConsistencyProof(leaves, oldSize, size).Select(Convert.ToHexStringLower).ToList());
        }
    }
}

internal static class Hex
{
    public static bool IsHash(string? hex) => hex is { Length: 64 } && hex.All(char.IsAsciiHexDigit);

    public static bool TryDecode(string? hex, out byte[] bytes)
    {
        bytes = IsHash(hex) ? Convert.FromHexString(hex!) : [];
        return bytes.Length == 32;
    }

    public static bool TryDecodeAll(IReadOnlyList<string>? hashes, out byte[][] decoded)
    {
        decoded = hashes is not null && hashes.All(IsHash) ? hashes.Select(Convert.FromHexString).ToArray() : [];
        return hashes is not null && decoded.Length == hashes.Count;
    }
}
