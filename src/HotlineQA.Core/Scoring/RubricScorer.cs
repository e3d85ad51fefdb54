using HotlineQA.Audio;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>Scores a transcript (and the audio timeline, when there is one) against the loaded rubric. Built by the rubric issue.</summary>
public sealed class RubricScorer
{
    public string RubricVersion => throw new NotSupportedException("the rubric engine is not built yet");

    public ScoreResult Score(Transcript transcript, AudioAnalysis? timeline = null) =>
        throw new NotSupportedException("the rubric engine is not built yet");
}
