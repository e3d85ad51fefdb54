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

    /// <summary>True when this process runs any step (hosts the Hangfire servers, recovery and the sweep).</summary>
    public bool RunsSteps => Workers > 0 || HeavyWorkers > 0;

    /// <summary>Total tries of one step on transient errors (bad input fails at once, without retries).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before retrying a step after a transient error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a worker owns a call for one step; after that another worker may take the step over.</summary>
    public TimeSpan StepLease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often unfinished calls nobody works on are looked for (e.g. registered by <c>hotlineqa ingest</c> in another process).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A call queued this long ago without a worker having claimed it is queued again (its job was lost).</summary>
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Hangfire's own tables on PostgreSQL live in this schema.</summary>
    public string HangfireSchema { get; set; } = "hangfire";
}
