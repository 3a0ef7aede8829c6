using System.Text;
using ClaimLedger.Common;
using ClaimLedger.Documents;

namespace ClaimLedger.Cli.Hosting;

internal static class DocumentText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>UTF-8 takes at most 4 bytes a character, so a longer file cannot be a document the ledger takes.</summary>
    private const long MaxBytes = RegisterDocument.MaxTextLength * 4L;

    /// <summary>
    /// Reads a document's text as strict UTF-8, so spans count the same characters everywhere. Reads at most what a
    /// document may hold, so an endless source such as /dev/zero or a pipe is refused instead of exhausting memory.
    /// </summary>
    public static async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var bytes = new MemoryStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await file.ReadAsync(buffer, ct)) > 0)
            {
                if (bytes.Length + read > MaxBytes)
                {
                    throw new RequestValidationException([new("file", $"a text of at most {RegisterDocument.MaxTextLength:N0} characters; '{path}' is longer")]);
                }

                bytes.Write(buffer, 0, read);
            }

            return StrictUtf8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new RequestValidationException([new("file", $"UTF-8 text; '{path}' holds bytes that are not valid UTF-8")]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RequestValidationException([new("file", $"a readable text file; '{path}': {e.Message}")]);
        }
    }
}
