namespace AccessTokenPanel.Tests.ScaleOut;

/// <summary>
/// Tests that restart instances or race two starts against each other, timed by real sockets,
/// nginx and PostgreSQL: they run after the parallel tests, one at a time. Under the suite's load
/// each failed once in four full runs on 2026-12-07 (a reloaded page without its circuit within
/// 30 s; a setup form refused with 400 by the other instance), and passed every run alone; the
/// causes are not known, so the failure messages say what the page or the answers were.
/// </summary>
[CollectionDefinition(nameof(ClusterAloneCollection), DisableParallelization = true)]
public sealed class ClusterAloneCollection;
