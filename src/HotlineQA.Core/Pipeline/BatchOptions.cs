using System.ComponentModel.DataAnnotations;

namespace HotlineQA.Pipeline;

/// <summary>The overnight batch. Bound to section <c>Batch</c>; with no inbox folder and no manifest, no recurring job is registered.</summary>
public sealed class BatchOptions
{
    public const string Section = "Batch";

    /// <summary>When the nightly run starts (Hangfire cron, in <see cref="TimeZone"/>).</summary>
    [Required]
    public string Cron { get; set; } = "0 1 * * *";

    /// <summary>IANA/Windows time zone id of <see cref="Cron"/> and <see cref="MorningCutoff"/>; empty = the machine's local zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Folders scanned (recursively, like <c>hotlineqa ingest</c>) by every run.</summary>
    public string[] InboxFolders { get; set; } = [];

    /// <summary>Optional CSV: call id, agent id, queue, customer number, started at (ISO 8601). Rows fill in the metadata of calls whose key is the call id.</summary>
    public string? ManifestPath { get; set; }

    /// <summary><c>oldest-first</c> (by start time), <c>newest-first</c>, or <c>queue</c> (by <see cref="QueueOrder"/>, then oldest first).</summary>
    [RegularExpression("^(oldest-first|newest-first|queue)$")]
    public string Priority { get; set; } = "oldest-first";

    /// <summary>With <c>Priority=queue</c>: call-centre queues in the order they go first; others after.</summary>
    public string[] QueueOrder { get; set; } = [];

    /// <summary>Local time of day after which no new heavy (transcription) step of a batch starts; null = no cutoff. Left work resumes the next night.</summary>
    public TimeSpan? MorningCutoff { get; set; } = TimeSpan.FromHours(7);

    public TimeZoneInfo Zone => string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The first cutoff after <paramref name="startUtc"/>, or null without a cutoff.</summary>
    public DateTimeOffset? CutoffAfter(DateTimeOffset startUtc)
    {
        if (MorningCutoff is not { } cut) return null;
        var zone = Zone;
        var local = TimeZoneInfo.ConvertTime(startUtc, zone);
        var candidate = local.Date + cut;
        if (candidate <= local.DateTime) candidate = candidate.AddDays(1);
        return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)).ToUniversalTime();
    }

    /// <summary>The SQL order of a batch's calls.</summary>
    public string OrderBy() => Priority switch
    {
        "newest-first" => "COALESCE(started_at, created_at) DESC, id DESC",
        "queue" => (QueueOrder.Length == 0 ? "" :
                       "CASE queue " + string.Concat(QueueOrder.Select((q, i) => $"WHEN '{q.Replace("'", "''", StringComparison.Ordinal)}' THEN {i} "))
                       + $"ELSE {QueueOrder.Length} END, ")
                   + "COALESCE(started_at, created_at), id",
        _ => "COALESCE(started_at, created_at), id",
    };
}
