using System.Text.Json;
using System.Text.Json.Serialization;
using ClaimLedger.Claims;

namespace ClaimLedger.Api;

/// <summary>
/// Enums as their names, in and out. An unknown name in a request does not stop reading the body: it becomes a value
/// outside the enum, which the request's validator reports together with every other invalid field. Ratings also
/// accept their labels ("Mostly false"), as the CLI does.
/// </summary>
public sealed class LenientEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    public const int Unknown = -1;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return Parse(text, out var value) ? value : (T)Enum.ToObject(typeof(T), Unknown);
        }

        private static bool Parse(string? text, out T value)
        {
            if (typeof(T) == typeof(Rating) && Ratings.TryParse(text, out var rating))
            {
                value = (T)(object)rating;
                return true;
            }

            if (typeof(T) == typeof(Attribution) && Attributions.TryParse(text, out var attribution))
            {
                value = (T)(object)attribution;
                return true;
            }

            value = default;
            return text is { Length: > 0 } && !char.IsAsciiDigit(text.TrimStart('-', '+', ' ').FirstOrDefault('0'))
                && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
