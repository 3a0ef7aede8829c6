namespace ClaimLedger.IntegrationTests;

/// <summary>Files of the repository the tests run from, found by walking up to ClaimLedger.sln.</summary>
internal static class Repository
{
    public static string Path(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "ClaimLedger.sln")))
        {
            directory = directory.Parent;
        }

        return System.IO.Path.Combine([directory!.FullName, .. parts]);
    }
}
