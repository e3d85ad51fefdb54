using HotlineQA.Transcription;

namespace HotlineQA.Classification;

/// <summary>One agent utterance of a transcript with the context the classifier uses.</summary>
public sealed record AgentTurnContext(int UtteranceIndex, UtteranceContext Context);

/// <summary>
/// Builds the classifier's context for every agent utterance of a call, the way the training data reads it: the
/// previous customer utterance (what the agent answers) and the next agent utterance (does help or a refusal follow?).
/// </summary>
public static class TranscriptContexts
{
    public static IReadOnlyList<AgentTurnContext> ForAgentTurns(Transcript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var u = transcript.Utterances;
        var result = new List<AgentTurnContext>();
        string? lastCustomer = null;
        for (var i = 0; i < u.Count; i++)
        {
            if (u[i].Speaker == Speakers.Customer) { lastCustomer = u[i].Text; continue; }
            if (u[i].Speaker != Speakers.Agent) continue;
            string? next = null;
            for (var j = i + 1; j < u.Count; j++)
                if (u[j].Speaker == Speakers.Agent) { next = u[j].Text; break; }
            result.Add(new AgentTurnContext(i, new UtteranceContext(u[i].Text, lastCustomer, next)));
        }
        return result;
    }
}
