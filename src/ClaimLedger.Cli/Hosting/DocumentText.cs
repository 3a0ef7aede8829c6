using System.Text;
using ClaimLedger.Common;

namespace ClaimLedger.Cli.Hosting;

internal static class DocumentText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a document's text as strict UTF-8, so spans count the same characters everywhere.</summary>
    public static async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(path, StrictUtf8, ct);
        }
        catch (DecoderFallbackException)
        {
            throw new RequestValidationException([new("file", $"UTF-8 text; '{path}' holds bytes that are not valid UTF-8")]);
        }
    }
}
