using System.Text;
using HotlineQA.Common;
using HotlineQA.Review;
using HotlineQA.Storage;

namespace HotlineQA.Host.Web;

/// <summary>Clip export of the coach library: the audio (WAV, personal data beeped) and its masked transcript excerpt.</summary>
public static class LibraryApi
{
    public const double DefaultPadSec = 2.0;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/library/clip/{findingId:long}.wav", async (long findingId, double? pad, LibraryStore library, CallStore calls, UtteranceStore utterances,
            ClipExporter exporter, CancellationToken ct) =>
        {
            var clip = await CutAsync(findingId, pad, library, calls, utterances, exporter, ct);
            if (clip is null) return Results.NotFound();
            var stream = new FileStream(clip.WavPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            return Results.File(stream, "audio/wav", $"clip-{findingId}.wav");
        });
        app.MapGet("/library/clip/{findingId:long}.txt", async (long findingId, double? pad, LibraryStore library, CallStore calls, UtteranceStore utterances,
            ClipExporter exporter, CancellationToken ct) =>
        {
            var clip = await CutAsync(findingId, pad, library, calls, utterances, exporter, ct);
            if (clip is null) return Results.NotFound();
            File.Delete(clip.WavPath);
            return Results.Text(clip.Excerpt, "text/plain; charset=utf-8", Encoding.UTF8);
        });
    }

    private static async Task<Clip?> CutAsync(long findingId, double? pad, LibraryStore library, CallStore calls, UtteranceStore utterances, ClipExporter exporter, CancellationToken ct)
    {
        var row = await library.GetAsync(findingId, ct);
        var evidence = row is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<HotlineQA.Scoring.Evidence>>(row.EvidenceJson, HotlineJson.Options) ?? [];
        if (row is null || evidence.Count == 0) return null;
        var call = await calls.GetAsync(row.CallId, ct);
        if (call is null || !File.Exists(call.SourcePath)) return null;
        var output = Path.Combine(Path.GetTempPath(), $"hotlineqa-clip-{Guid.NewGuid():N}.wav");
        return await exporter.ExportAsync(call.SourcePath, call.DurationSec ?? 0, evidence.Min(e => e.Start), evidence.Max(e => e.End),
            Math.Clamp(pad ?? DefaultPadSec, 0, 30), await utterances.ListAsync(call.Id, ct), output, ct);
    }
}
