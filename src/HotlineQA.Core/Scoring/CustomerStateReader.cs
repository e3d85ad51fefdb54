using HotlineQA.Classification;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>The ML.NET <see cref="CustomerStateModel"/> as the rubric reads it, with the <see cref="CustomerEndingModel"/>
/// (how the customer leaves the call) and the <see cref="CallComplaintModel"/> (is it a complaint call) when given.</summary>
public sealed class CustomerStateReader(CustomerStateModel model, CustomerEndingModel? ending = null, CallComplaintModel? complaint = null) : ICustomerModel
{
    /// <summary>The built-in customer-state, ending and call-complaint models.</summary>
    public static CustomerStateReader Default() => new(CustomerStateModel.LoadDefault(), CustomerEndingModel.LoadDefault(), CallComplaintModel.LoadDefault());

    public CustomerReading Read(IReadOnlyList<Utterance> utterances)
    {
        var states = model.Predict(utterances);
        var turns = states.Select(s => new CustomerTurnReading(s.Utterance, s.Complaint, s.Dissatisfaction, s.Abuse, s.Satisfied, s.Sentiment)).ToList();
        var end = ending?.Read(utterances, states);
        return new CustomerReading(turns, model.Summarize(utterances, states))
        {
            Ending = end is { } e ? new CustomerEnding(e.Utterance, e.Negative) : null,
            CallComplaint = complaint?.Probability(utterances),
        };
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
