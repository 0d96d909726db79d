using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("AccessTokenPanel.Tests.Infrastructure.PanelTestFramework", "AccessTokenPanel.Tests")]

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// Marks a test class whose cases run against PostgreSQL. Without a server (<see cref="PostgreSqlTestServer.Variable"/>
/// unset) its cases are reported as skipped, with the reason, instead of failing or passing.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgreSqlCasesAttribute : Attribute
{
    /// <summary>The cases also need nginx (the multi-instance tests); skipped without it.</summary>
    public bool NeedsNginx { get; set; }
}

/// <summary>xunit's framework, with discovery that turns PostgreSQL cases into skipped ones when there is no server.</summary>
public sealed class PanelTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var cases = testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgreSqlCasesAttribute)).FirstOrDefault();
            var reason = cases is null ? null
                : !PostgreSqlTestServer.IsAvailable ? PostgreSqlTestServer.SkipReason
                : cases.GetNamedArgument<bool>(nameof(PostgreSqlCasesAttribute.NeedsNginx)) && Nginx.Path is null ? Nginx.SkipReason
                : null;
            if (reason is null || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var skipped = new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
