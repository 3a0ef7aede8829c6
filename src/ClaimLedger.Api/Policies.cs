using ClaimLedger.Access;
using Microsoft.AspNetCore.Authorization;

namespace ClaimLedger.Api;

/// <summary>Who may do what: checkers read and write, auditors read and audit, admins manage keys.</summary>
public static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Audit = "audit";
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions authorization, ApiOptions options)
    {
        authorization.AddPolicy(Read, policy =>
        {
            if (options.OpenReads)
            {
                policy.RequireAssertion(_ => true);
            }
            else
            {
                policy.RequireAuthenticatedUser();
            }
        });
        authorization.AddPolicy(Write, Roles(Role.Checker));
        authorization.AddPolicy(Audit, Roles(Role.Auditor, Role.Admin));
        authorization.AddPolicy(Admin, Roles(Role.Admin));
    }

    private static Action<AuthorizationPolicyBuilder> Roles(params Role[] roles) => policy =>
        policy.RequireAuthenticatedUser().RequireRole(roles.Select(r => r.ToString()));
}
