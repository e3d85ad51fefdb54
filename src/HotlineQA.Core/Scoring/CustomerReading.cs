using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>
/// What the rubric reads from the customer model (issue 13): per customer turn, the probabilities of complaint,
/// dissatisfaction, abuse and satisfaction and a sentiment in [−1, 1]; and the call's summary. The scorer depends on
/// this seam, not on a model class, so any customer model (ML.NET today) plugs in through one adapter
/// (<see cref="CustomerStateReader"/>).
/// </summary>
public interface ICustomerModel
{
    /// <summary>The customer's state in <paramref name="utterances"/> (a whole call, in time order): one reading per
    /// customer turn, <see cref="CustomerTurnReading.Utterance"/> indexing <paramref name="utterances"/>.</summary>
    CustomerReading Read(IReadOnlyList<Utterance> utterances);

    /// <summary>The customer turns <paramref name="turns"/> (indexes in <paramref name="utterances"/>, in order) read
    /// together as one turn — the customer's account of what happened, told over several turns — or null when the model
    /// cannot (then the rubric reads the turns one by one only). <see cref="CustomerTurnReading.Utterance"/> = the first.</summary>
    CustomerTurnReading? ReadTogether(IReadOnlyList<Utterance> utterances, IReadOnlyList<int> turns) => null;
}

/// <summary>One customer turn as the customer model reads it; probabilities 0–1, <see cref="Sentiment"/> in [−1, 1].</summary>
public readonly record struct CustomerTurnReading(int Utterance, double Complaint, double Dissatisfaction, double Abuse, double Satisfied, double Sentiment);

/// <summary>The customer model's reading of a call: its customer turns and the summary that goes into the score; and,
/// when the model reads it, how the customer leaves (<see cref="Ending"/>).</summary>
public sealed record CustomerReading(IReadOnlyList<CustomerTurnReading> Turns, CustomerSentiment Summary)
{
    /// <summary>The customer's last words that say something and the probability that the customer leaves unhappy
    /// (the ending model, <see cref="HotlineQA.Classification.CustomerEndingModel"/>); null when not read.</summary>
    public CustomerEnding? Ending { get; init; }

    /// <summary>P(the call is a complaint call) from everything the customer says (the call-complaint model,
    /// <see cref="HotlineQA.Classification.CallComplaintModel"/>); null when not read or the customer says nothing.</summary>
    public double? CallComplaint { get; init; }
}

/// <summary>How the customer leaves the call: <see cref="Utterance"/> = the last customer turn that says something,
/// <see cref="Negative"/> = P(still unhappy) 0–1.</summary>
public readonly record struct CustomerEnding(int Utterance, double Negative);
