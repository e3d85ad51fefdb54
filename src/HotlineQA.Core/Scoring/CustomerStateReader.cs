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
}
