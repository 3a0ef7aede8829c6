using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClaimLedger.Common;

/// <summary>Readable ids such as <c>trade-cn-ru-2022-total</c>: lowercase ASCII words joined by hyphens.</summary>
public static partial class Slug
{
    public const int MaxLength = 80;
    public const string Expected = "lowercase letters, digits and single hyphens (e.g. trade-cn-ru-2022-total), at most 80 characters";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value);

    /// <summary>Makes a slug from free text: accents dropped, words kept up to the length limit.</summary>
    public static string From(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingHyphen = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
                pendingHyphen = false;
            }
            else
            {
                pendingHyphen = true;
            }
        }

        var slug = builder.ToString();
        if (slug.Length > 60)
        {
            var cut = slug.LastIndexOf('-', 60);
            slug = slug[..(cut > 0 ? cut : 60)];
        }

        return slug.Length == 0 ? "claim" : slug;
    }
}
