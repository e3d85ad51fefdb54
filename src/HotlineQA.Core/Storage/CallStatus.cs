namespace HotlineQA.Storage;

/// <summary>
/// A call's place in the pipeline. The middle statuses name the step that is queued or running:
/// pending → audio → transcribing → scoring → scored, or failed from any of them.
/// </summary>
public static class CallStatus
{
    public const string Pending = "pending";
    public const string Audio = "audio";
    public const string Transcribing = "transcribing";
    public const string Scoring = "scoring";
    public const string Scored = "scored";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Audio, Transcribing, Scoring, Scored, Failed];
    public static readonly IReadOnlyList<string> Unfinished = [Pending, Audio, Transcribing, Scoring];

    public static bool IsFinished(string status) => status is Scored or Failed;
}
