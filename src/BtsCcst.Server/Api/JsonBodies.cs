using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using BtsCcst.Domain.Imports;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BtsCcst.Server.Api;

/// <summary>
/// Every JSON body is checked before its endpoint runs, by one filter: a property marked
/// <see cref="RequiredAttribute"/> that is missing or null, or a null item of a list (at any depth),
/// is a 400 naming the field as the client wrote it (« orals[0] », « commissions[1].examinerIds[0] »),
/// so no endpoint meets a null it did not expect; so is a number that is not finite (NaN, infinite),
/// and a field marked <see cref="IdentifierAttribute"/> (or an item of such a list) that is not an
/// identifier (<see cref="FieldRules.IsId"/>). A body that does not even read as the expected JSON is
/// refused by <see cref="ProblemExceptionHandler"/>, naming the field where reading stopped (<see cref="UnreadableMessage"/>).
/// </summary>
public static class JsonBodies
{
    /// <summary>At most this many faults are named in one refusal.</summary>
    private const int MaxNamed = 5;

    /// <summary>Checks the JSON body of every endpoint of <paramref name="builder"/> (a group: each of its endpoints).</summary>
    public static TBuilder ValidateJsonBodies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Filter);

    private static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // The body is the parameter of a request type of this project that is not a service (as minimal APIs infer it).
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var bodies = context.MethodInfo.GetParameters()
            .Where(p => IsRequestType(p.ParameterType) && services?.IsService(p.ParameterType) != true)
            .Select(p => p.Position)
            .ToArray();
        if (bodies.Length == 0) return next;
        var naming = context.ApplicationServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions.PropertyNamingPolicy;
        return async invocation =>
        {
            foreach (var position in bodies)
            {
                if (invocation.Arguments[position] is not { } body) continue;
                var faults = new List<string>();
                CheckObject(body, "", naming, faults);
                if (faults.Count > 0)
                    return Problems.Invalid(string.Join(" ", faults.Take(MaxNamed)) + (faults.Count > MaxNamed ? $" ({faults.Count} erreurs en tout.)" : ""));
            }
            return await next(invocation);
        };
    }

    /// <summary>The faults of <paramref name="value"/>, a request record, its fields named from <paramref name="path"/>.</summary>
    internal static void CheckObject(object value, string path, JsonNamingPolicy? naming, List<string> faults)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(JsonIgnoreAttribute))) continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming?.ConvertName(property.Name) ?? property.Name;
            var field = path.Length == 0 ? name : $"{path}.{name}";
            var item = property.GetValue(value);
            if (item is null)
            {
                if (property.IsDefined(typeof(RequiredAttribute))) faults.Add($"« {field} » est requis.");
            }
            else
            {
                if (property.IsDefined(typeof(IdentifierAttribute))) CheckIdentifiers(item, field, faults);
                CheckValue(item, field, naming, faults);
            }
        }
    }

    private static void CheckValue(object value, string field, JsonNamingPolicy? naming, List<string> faults)
    {
        if (value is string) return;
        // Read from 1e400 or from the strings "NaN" and "Infinity" (numbers may be sent as strings): no range check
        // holds for NaN, so it never reaches an endpoint.
        if (value is double number && !double.IsFinite(number))
        {
            faults.Add($"« {field} » : attendu un nombre fini (reçu {(double.IsNaN(number) ? "NaN" : "un nombre infini")}).");
            return;
        }
        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                var at = $"{field}[{index++}]";
                if (item is null) faults.Add($"« {at} » : élément vide (null), non admis dans une liste.");
                else CheckValue(item, at, naming, faults);
                if (faults.Count > MaxNamed) return;
            }
            return;
        }
        if (IsRequestType(value.GetType())) CheckObject(value, field, naming, faults);
    }

    /// <summary>An identifier field, or each item of a list of identifiers (its null items are reported as nulls).</summary>
    private static void CheckIdentifiers(object value, string field, List<string> faults)
    {
        if (value is string text)
        {
            if (!FieldRules.IsId(text)) faults.Add(InvalidIdentifier(field, text));
            return;
        }
        if (value is not IEnumerable<string?> items) return;
        var index = 0;
        foreach (var item in items)
        {
            if (item is not null && !FieldRules.IsId(item)) faults.Add(InvalidIdentifier($"{field}[{index}]", item));
            index++;
        }
    }

    /// <summary>The refusal of an identifier, quoting at most its first 40 characters.</summary>
    private static string InvalidIdentifier(string field, string text) =>
        $"« {field} » : identifiant « {(text.Length > 40 ? text[..40] + "…" : text)} » invalide (attendu {FieldRules.IdRule}).";

    private static bool IsRequestType(Type type) =>
        type.Assembly == typeof(JsonBodies).Assembly && type.IsClass && !type.IsAbstract;

    /// <summary>
    /// The refusal of a body that does not read as the expected JSON: the field where reading stopped
    /// (System.Text.Json's path, <c>$.orals[0].date</c>), or the position in the text when it is not JSON at all.
    /// </summary>
    public static string UnreadableMessage(JsonException json)
    {
        var field = json.Path is { Length: > 1 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
            : json.Path is { Length: > 1 } other && other.StartsWith('$') ? other[1..]
            : null;
        return field is not null
            ? $"« {field} » : valeur illisible pour ce champ (vérifiez son type : texte entre guillemets, nombre, booléen, date AAAA-MM-JJ, liste ou objet)."
            : $"Le corps de la requête n'est pas un JSON lisible (ligne {json.LineNumber + 1}, position {json.BytePositionInLine + 1}).";
    }
}

/// <summary>
/// A request field that names something by its identifier (a candidate number, a centre, an examiner): checked by
/// <see cref="JsonBodies"/> against <see cref="FieldRules.IsId"/>, on the text or on each item of a list, so that a
/// malformed identifier is refused before any grain is called with it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IdentifierAttribute : Attribute;
