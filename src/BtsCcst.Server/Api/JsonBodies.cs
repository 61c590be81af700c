using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BtsCcst.Server.Api;

/// <summary>
/// Every JSON body is checked before its endpoint runs, by one filter: a property marked
/// <see cref="RequiredAttribute"/> that is missing or null, or a null item of a list (at any depth),
/// is a 400 naming the field as the client wrote it (« orals[0] », « commissions[1].examinerIds[0] »),
/// so no endpoint meets a null it did not expect. A body that does not even read as the expected
/// JSON is refused by <see cref="ProblemExceptionHandler"/>, naming the field where reading stopped
/// (<see cref="UnreadableMessage"/>).
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
                CheckValue(item, field, naming, faults);
            }
        }
    }

    private static void CheckValue(object value, string field, JsonNamingPolicy? naming, List<string> faults)
    {
        if (value is string) return;
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
