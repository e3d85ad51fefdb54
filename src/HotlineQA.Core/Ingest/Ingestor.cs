using System.Security.Cryptography;
using System.Text.Json;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Ingest;

/// <summary>Optional facts about a recording: from <c>name.meta.json</c> beside it, or given for a whole batch.</summary>
public sealed record CallMetadata
{
    public string? CallKey { get; init; }
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public string? CustomerNumber { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>The recorder/site the file came from: picks its channel mapping (<c>Audio:Sources:&lt;source&gt;</c>) in every step.</summary>
    public string? Source { get; init; }

    /// <summary>Values of <paramref name="over"/> win where it has them.</summary>
    public CallMetadata Overlay(CallMetadata? over) => over is null ? this : new CallMetadata
    {
        CallKey = over.CallKey ?? CallKey,
        Agent = over.Agent ?? Agent,
        Queue = over.Queue ?? Queue,
        CustomerNumber = over.CustomerNumber ?? CustomerNumber,
        StartedAt = over.StartedAt ?? StartedAt,
        Source = over.Source ?? Source,
    };
}

public static class IngestOutcome
{
    public const string New = "new";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

public sealed record IngestItem(string Path, string Outcome, long? CallId, string? SidecarPath, string? Reason);

public sealed record IngestReport(IReadOnlyList<IngestItem> Items)
{
    public int New => Items.Count(i => i.Outcome == IngestOutcome.New);
    public int Duplicate => Items.Count(i => i.Outcome == IngestOutcome.Duplicate);
    public int Rejected => Items.Count(i => i.Outcome == IngestOutcome.Rejected);
}

/// <summary>
/// Registers recordings as calls: one call per distinct content (SHA-256), with the sidecar transcript
/// <c>name.transcript.json</c> and metadata <c>name.meta.json</c> found beside <c>name.ext</c>. It only registers;
/// whether the content is audio at all is the audio step's verdict, so a broken file becomes a failed call with a
/// reason instead of vanishing.
/// </summary>
/// <remarks>
/// A call's source, which picks its channel mapping, is (strongest first) the batch's (<c>ingest --source</c>), the
/// <c>source</c> of <c>name.meta.json</c>, or the nearest folder between the ingested folder and the file whose name is a
/// configured source (<c>Audio:Sources</c>), e.g. <c>inbox/site-b/call1.wav</c> with <c>Audio:Sources:site-b</c>.
/// </remarks>
public sealed class Ingestor(CallStore calls, ILogger<Ingestor> log, IOptions<AudioOptions>? audio = null)
{
    public const string SidecarSuffix = ".transcript.json";
    public const string MetadataSuffix = ".meta.json";

    /// <summary>A file, or every file under a folder (recursively) except hidden files and <c>*.json</c>.</summary>
    /// <param name="progress">Told (files done, files found) once the folder is listed and after each file (a progress bar).</param>
    public async Task<IngestReport> IngestAsync(string path, CallMetadata? batch = null, CancellationToken ct = default, IProgress<(int Done, int Total)>? progress = null)
    {
        var full = Path.GetFullPath(path);
        IEnumerable<string> files;
        if (Directory.Exists(full))
        {
            files = Directory.EnumerateFiles(full, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            })
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        }
        else if (File.Exists(full)) files = [full];
        else throw new BadInputException($"{path}: no such file or folder");

        var items = new List<IngestItem>();
        var total = 0;
        if (progress is not null)
        {
            // The listing is sorted (so in memory) anyway; counting it first lets a progress bar show a total.
            var list = files.ToList();
            total = list.Count;
            progress.Report((0, total));
            files = list;
        }
        foreach (var f in files)
        {
            ct.ThrowIfCancellationRequested();
            items.Add(await IngestFileAsync(f, batch, FolderSource(full, f), ct));
            progress?.Report((items.Count, total));
        }
        return new IngestReport(items);
    }

    /// <summary>The nearest folder under <paramref name="root"/> holding <paramref name="file"/> that names a configured source.</summary>
    private string? FolderSource(string root, string file)
    {
        var sources = audio?.Value.Sources;
        if (sources is null || sources.Count == 0) return null;
        for (var d = Path.GetDirectoryName(file); d is not null && d.Length > root.Length && d.StartsWith(root, StringComparison.Ordinal); d = Path.GetDirectoryName(d))
            if (sources.ContainsKey(Path.GetFileName(d))) return sources.Keys.First(k => string.Equals(k, Path.GetFileName(d), StringComparison.OrdinalIgnoreCase));
        return null;
    }

    private async Task<IngestItem> IngestFileAsync(string file, CallMetadata? batch, string? folderSource, CancellationToken ct)
    {
        if (file.EndsWith(SidecarSuffix, StringComparison.OrdinalIgnoreCase))
            return Reject(file, "this is a transcript; ingest its recording instead (the sidecar beside it is picked up)");
        var stem = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file));
        var sidecar = File.Exists(stem + SidecarSuffix) ? stem + SidecarSuffix : null;
        try
        {
            var meta = new CallMetadata { CallKey = Path.GetFileNameWithoutExtension(file), Source = folderSource }
                .Overlay(File.Exists(stem + MetadataSuffix) ? ReadMetadata(stem + MetadataSuffix) : null)
                .Overlay(batch);
            var (sha, size) = await HashAsync(file, ct);
            var (id, created) = await calls.RegisterAsync(new NewCall
            {
                CallKey = meta.CallKey!, ContentSha256 = sha, SizeBytes = size, SourcePath = file, SidecarPath = sidecar,
                Agent = meta.Agent, Queue = meta.Queue, CustomerNumber = meta.CustomerNumber, StartedAt = meta.StartedAt,
                Source = string.IsNullOrWhiteSpace(meta.Source) ? null : meta.Source.Trim(),
            }, ct);
            if (!created && sidecar is not null && await calls.AttachSidecarAsync(id, sidecar, ct))
            {
                log.LogInformation("{File}: its sidecar transcript was attached to the existing call {CallId}", file, id);
                // The call may have failed for want of a transcript; with one now it deserves another run.
                if ((await calls.GetAsync(id, ct))?.Status == CallStatus.Failed) await calls.ResetAsync(id, CallStatus.Pending, ct);
            }
            log.LogInformation("{File}: {Outcome} call {CallId}{Sidecar}", file, created ? "new" : "duplicate of", id, sidecar is null ? "" : " (with sidecar transcript)");
            return new IngestItem(file, created ? IngestOutcome.New : IngestOutcome.Duplicate, id, sidecar, null);
        }
        catch (BadInputException e) { return Reject(file, e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Reject(file, $"{file}: cannot read ({e.Message})");
        }
    }

    private IngestItem Reject(string file, string reason)
    {
        log.LogWarning("{File}: rejected: {Reason}", file, reason);
        return new IngestItem(file, IngestOutcome.Rejected, null, null, reason);
    }

    private static CallMetadata ReadMetadata(string path)
    {
        CallMetadata meta;
        try
        {
            meta = JsonSerializer.Deserialize<CallMetadata>(File.ReadAllText(path), HotlineJson.Options)
                ?? throw new BadInputException($"{path}: the metadata file is empty");
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path[2..]}";
            throw new BadInputException($"{path}: not valid call metadata JSON{field} (line {e.LineNumber + 1})", e);
        }
        return Validate(meta, path);
    }

    /// <summary>The longest text a metadata field may hold.</summary>
    public const int MaxFieldLength = 200;

    /// <summary>Refuses metadata whose values cannot be right, naming the file and the field.</summary>
    public static CallMetadata Validate(CallMetadata meta, string source)
    {
        Text(meta.CallKey, "callKey");
        Text(meta.Agent, "agent");
        Text(meta.Queue, "queue");
        Text(meta.CustomerNumber, "customerNumber");
        if (meta.StartedAt is { } at && (at.Year < 1990 || at.Year > 2100))
            throw new BadInputException($"{source}: startedAt {at:yyyy-MM-dd} is outside 1990–2100");
        return meta;

        void Text(string? value, string field)
        {
            if (value is null) return;
            if (value.Length > MaxFieldLength) throw new BadInputException($"{source}: {field} is longer than {MaxFieldLength} characters");
            if (value.Any(char.IsControl)) throw new BadInputException($"{source}: {field} contains control characters");
            if (field == "callKey" && string.IsNullOrWhiteSpace(value)) throw new BadInputException($"{source}: callKey is empty");
        }
    }

    /// <summary>Streams the file through SHA-256: memory stays flat whatever the recording's size.</summary>
    public static async Task<(string Sha256, long Size)> HashAsync(string file, CancellationToken ct = default)
    {
        await using var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(s, ct);
        return (Convert.ToHexStringLower(hash), s.Length);
    }
}
