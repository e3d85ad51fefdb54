using System.ComponentModel.DataAnnotations;

namespace HotlineQA.Pipeline;

/// <summary>How this process takes part in the pipeline. Bound to section <c>Pipeline</c>.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Hangfire queue of the heavy step (transcription); a machine can be given only this queue, or none of it.</summary>
    public const string HeavyQueue = "transcribe";

    /// <summary>Hangfire queue of the other steps (audio, scoring) and the overnight batch job.</summary>
    public const string DefaultQueue = "default";

    /// <summary>Hangfire workers in this process for the <c>default</c> queue (audio, scoring, batch); 0 with <see cref="TranscribeWorkers"/> 0 = enqueue only, run no steps here.</summary>
    [Range(0, 256)]
    public int Workers { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Hangfire workers in this process for the heavy <c>transcribe</c> queue (null = half of <see cref="Workers"/>, at least 1 when Workers &gt; 0).</summary>
    [Range(0, 256)]
    public int? TranscribeWorkers { get; set; }

    /// <summary>Heavy-queue workers this process runs.</summary>
    public int HeavyWorkers => TranscribeWorkers ?? (Workers == 0 ? 0 : Math.Max(1, Workers / 2));

    /// <summary>True when this process runs any step (hosts the Hangfire servers, recovery and the pickup).</summary>
    public bool RunsSteps => Workers > 0 || HeavyWorkers > 0;

    /// <summary>Total tries of one step on transient errors, counted by Hangfire's <c>AutomaticRetry</c> (bad input fails at once, without retries).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before Hangfire retries a step after a transient error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a call whose worker died (SIGKILL, power loss) waits before another worker takes its step over: the
    /// invisibility timeout of Hangfire.PostgreSql's fetched jobs (kept alive while the worker lives) and the lifetime
    /// of a dead holder's per-call lock. The one takeover setting.
    /// </summary>
    public TimeSpan TakeoverAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often calls registered but not yet queued (e.g. by <c>hotlineqa ingest</c> in another process) are handed to Hangfire.</summary>
    public TimeSpan PickupInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder of the per-call PCM decoded by the audio step for the transcribe step (empty: the system temp folder).</summary>
    public string ScratchFolder { get; set; } = "";

    /// <summary>Hangfire's own tables on PostgreSQL live in this schema.</summary>
    public string HangfireSchema { get; set; } = "hangfire";
}
