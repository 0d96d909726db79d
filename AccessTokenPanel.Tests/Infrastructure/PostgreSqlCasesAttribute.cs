using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("AccessTokenPanel.Tests.Infrastructure.PanelTestFramework", "AccessTokenPanel.Tests")]

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// Marks a test class whose cases run against PostgreSQL. Without a server (<see cref="PostgreSqlTestServer.Variable"/>
/// unset) its cases are reported as skipped, with the reason, instead of failing or passing.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgreSqlCasesAttribute : Attribute;

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
            if (PostgreSqlTestServer.IsAvailable
                || !testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgreSqlCasesAttribute)).Any()
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var skipped = new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, PostgreSqlTestServer.SkipReason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
