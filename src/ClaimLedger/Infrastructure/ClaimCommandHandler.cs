using ClaimLedger.Claims;
using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Handles every claim command the same way: the one write checks the spans it cites and decides it with
/// <see cref="ClaimDecisions.Decide"/>. A use case therefore adds a command, its validator and its Decide, never a handler.
/// </summary>
public sealed class ClaimCommandHandler<TCommand>(ClaimWriter writer) : IRequestHandler<TCommand, WriteResult>
    where TCommand : IClaimCommand
{
    public Task<WriteResult> Handle(TCommand command, CancellationToken cancellationToken) => writer.WriteAsync(command, cancellationToken);
}
