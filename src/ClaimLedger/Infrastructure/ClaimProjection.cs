using ClaimLedger.Claims;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Lets Marten build <see cref="Claim"/> with the domain's own <see cref="ClaimEvolution.Evolve"/>: inline, as the
/// read model that GetClaim and ListClaims query, and live, for replays as of a version or a time.
/// </summary>
public sealed class ClaimProjection : SingleStreamProjection<Claim, string>
{
    public override Claim? Evolve(Claim? snapshot, string id, IEvent e) => ClaimEvolution.Evolve(snapshot, e.Data);
}
