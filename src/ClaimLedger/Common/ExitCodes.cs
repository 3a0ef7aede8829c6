namespace ClaimLedger.Common;

/// <summary>How the CLI ends: the same classes of failure the API answers with 4xx and 5xx statuses.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int BadInput = 2;
    public const int Unavailable = 3;
    public const int Unexpected = 4;
}
