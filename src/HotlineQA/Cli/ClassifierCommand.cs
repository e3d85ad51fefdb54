using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class ClassifierCommand
{
    public static Command Build()
    {
        var feedback = new Option<bool>("--with-feedback") { Description = "Add reviewers' confirmed/overturned findings to the training set" };
        var train = new Command("train", "Trains the utterance classifier and prints its evaluation.") { feedback };
        train.SetAction(_ => CliApp.NotAvailableYet("classifier train", "the utterance classifier (issue 6) is not built yet"));
        var evaluate = new Command("evaluate", "Evaluates the utterance classifier on the validation split.");
        evaluate.SetAction(_ => CliApp.NotAvailableYet("classifier evaluate", "the utterance classifier (issue 6) is not built yet"));
        return new Command("classifier", "Trains and evaluates the ML.NET utterance classifier.") { train, evaluate };
    }
}
