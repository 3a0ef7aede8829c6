using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>The log's public key in verifier key form, for witnesses and monitors.</summary>
public static class GetLogKey
{
    public sealed record Query : IRequest<string>;

    public sealed class Handler(CheckpointSigner signer) : IRequestHandler<Query, string>
    {
        public Task<string> Handle(Query query, CancellationToken cancellationToken) => Task.FromResult(signer.Key.Verifier.Encoded);
    }
}
