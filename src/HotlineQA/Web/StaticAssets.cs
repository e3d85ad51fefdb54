using System.Collections.Frozen;
using System.Security.Cryptography;

namespace HotlineQA.Host.Web;

/// <summary>
/// Scripts served from the assembly (no static-file folder to deploy): the pages' own scripts (<c>Web/Static/*.js</c>)
/// and the npm libraries the build embeds (wavesurfer.js + its regions plugin, Chart.js; see HotlineQA.csproj).
/// URLs carry a content hash, so browsers may cache them for a year.
/// </summary>
public static class StaticAssets
{
    private sealed record Asset(byte[] Bytes, string Hash);

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    private static FrozenDictionary<string, Asset> Load()
    {
        var asm = typeof(StaticAssets).Assembly;
        var d = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("static/", StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var m = new MemoryStream();
            s.CopyTo(m);
            var bytes = m.ToArray();
            d[name["static/".Length..]] = new Asset(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The URL of an embedded script, e.g. <c>/static/call.js?v=1a2b…</c>; throws for a name the build did not embed.</summary>
    public static string Url(string name) => Assets.TryGetValue(name, out var a)
        ? $"/static/{name}?v={a.Hash}"
        : throw new InvalidOperationException($"static asset '{name}' is not embedded in the host (was `npm ci` run by the build?)");

    /// <summary>The bytes of every embedded script, for the page-weight figure.</summary>
    public static int Size(string name) => Assets[name].Bytes.Length;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/static/{name}", (string name, HttpContext http) =>
        {
            if (!Assets.TryGetValue(name, out var a)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(a.Bytes, "text/javascript; charset=utf-8");
        });
}
