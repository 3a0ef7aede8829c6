using ClaimLedger.Claims;
using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Handles every claim command the same way: check the spans it cites, then hand it to the one write, which decides it
/// with <see cref="ClaimDecisions.Decide"/>. A use case therefore adds a command, its validator and its Decide, never a handler.
/// </summary>
public sealed class ClaimCommandHandler<TCommand>(SourceReferences sources, ClaimWriter writer) : IRequestHandler<TCommand, WriteResult>
    where TCommand : IClaimCommand
{
    public async Task<WriteResult> Handle(TCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(command, await sources.CheckAsync(command.Citations, cancellationToken), cancellationToken);
}
