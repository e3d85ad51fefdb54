using HotlineQA.Classification;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>The ML.NET <see cref="CustomerStateModel"/> as the rubric reads it.</summary>
public sealed class CustomerStateReader(CustomerStateModel model) : ICustomerModel
{
    /// <summary>The built-in customer-state model.</summary>
    public static CustomerStateReader Default() => new(CustomerStateModel.LoadDefault());

    public CustomerReading Read(IReadOnlyList<Utterance> utterances)
    {
        var states = model.Predict(utterances);
        var turns = states.Select(s => new CustomerTurnReading(s.Utterance, s.Complaint, s.Dissatisfaction, s.Abuse, s.Satisfied, s.Sentiment)).ToList();
        return new CustomerReading(turns, model.Summarize(utterances, states));
    }

    public CustomerTurnReading? ReadTogether(IReadOnlyList<Utterance> utterances, IReadOnlyList<int> turns)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(turns);
        if (turns.Count == 0) return null;
        var first = turns[0];
        // The context of the first turn: the agent turn it answers and its place among the customer turns.
        string? agent = null;
        int before = 0, total = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            if (utterances[i].Speaker == Speakers.Agent && i < first) agent = utterances[i].Text;
            if (utterances[i].Speaker != Speakers.Customer) continue;
            total++;
            if (i < first) before++;
        }
        var text = string.Join("，", turns.Select(i => utterances[i].Text));
        var s = model.Classify(new CustomerTurnContext(text, agent, before, total), first);
        return new CustomerTurnReading(first, s.Complaint, s.Dissatisfaction, s.Abuse, s.Satisfied, s.Sentiment);
    }
}
