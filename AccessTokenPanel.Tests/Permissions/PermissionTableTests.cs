using System.Reflection;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Tests.Api;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Api.GraphQL;
using AccessTokenPanel.Web.Components.Pages.Settings;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using AccessTokenPanel.Web.Components.Pages.Users;
using GraphQL.Types;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Permissions;

/// <summary>
/// Every way in names the rows of the permission table (<see cref="Operations"/>) it performs: each
/// mapped endpoint, each GraphQL field and each screen action. A new one that names none, or a row
/// that is not in the table, fails here before it can decide for itself who may do what.
/// </summary>
public sealed class PermissionTableTests(ApiAppFactory factory) : IClassFixture<ApiAppFactory>
{
    /// <summary>The types whose public methods the interactive pages call to change or read things.</summary>
    private static readonly Type[] ScreenActionTypes =
        [typeof(TokenScreenActions), typeof(UserAdministration), typeof(SettingsEditor), typeof(ExternalValidatorScreenActions),
            typeof(AccessTokenPanel.Web.Components.Pages.ServiceAccounts.GovernanceScreenActions),
            typeof(AccessTokenPanel.Web.Components.Pages.Overview.OverviewReader)];

    [Fact]
    public void EveryApiAndAccountEndpointNamesOperationsOfTheTable()
    {
        var endpoints = factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            // The pages (components) are the screens; their actions are checked below.
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .Where(e => e.RoutePattern.RawText is { } route
                && (route.StartsWith("/api", StringComparison.Ordinal) || route.StartsWith("/scim", StringComparison.Ordinal)
                    || route.StartsWith("/account", StringComparison.Ordinal) || route.StartsWith("/audit", StringComparison.Ordinal)))
            .ToList();
        Assert.True(endpoints.Count > 40, $"Only {endpoints.Count} endpoints were found: the discovery is broken.");

        var unnamed = endpoints
            .Where(e => e.Metadata.GetMetadata<OperationMetadata>() is null && e.Metadata.GetMetadata<NoOperationMetadata>() is null)
            .Select(Describe).ToList();
        Assert.True(unnamed.Count == 0, "These endpoints name no operation of the permission table:\n" + string.Join("\n", unnamed));

        var unknown = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<OperationMetadata>()?.Operations ?? []).Select(o => (Endpoint: e, Operation: o)))
            .Where(x => !Operations.All.Contains(x.Operation))
            .Select(x => $"{Describe(x.Endpoint)}: {x.Operation.Name}").ToList();
        Assert.True(unknown.Count == 0, "These operations are not rows of the permission table:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void EveryGraphQLFieldNamesAnOperationOfTheTable()
    {
        var schema = factory.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var fields = new[] { schema.Query, schema.Mutation }.OfType<IObjectGraphType>()
            .SelectMany(type => type.Fields.Select(field => (Type: type.Name, Field: field)))
            .ToList();
        Assert.NotEmpty(fields);

        var wrong = fields
            .Where(f => f.Field.GetMetadata<Operation>(GraphQLOperations.MetadataKey) is not { } operation || !Operations.All.Contains(operation))
            .Select(f => $"{f.Type}.{f.Field.Name}").ToList();
        Assert.True(wrong.Count == 0, "These GraphQL fields name no operation of the permission table:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void EveryScreenActionNamesOperationsOfTheTable()
    {
        var actions = ScreenActionTypes
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => typeof(Task).IsAssignableFrom(method.ReturnType))
            .ToList();
        Assert.True(actions.Count >= 15, $"Only {actions.Count} screen actions were found.");

        var wrong = actions
            .Where(method => method.GetCustomAttribute<PerformsAttribute>() is not { } performs
                || performs.Operations.Any(name => Operations.Find(name) is null))
            .Select(method => $"{method.DeclaringType!.Name}.{method.Name}").ToList();
        Assert.True(wrong.Count == 0, "These screen actions name no (or an unknown) operation of the permission table:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void EveryRowNamesItsOperationOnceAndOnlyKnownPermissions()
    {
        Assert.Equal(Operations.All.Count, Operations.All.Select(o => o.Name).Distinct().Count());
        Assert.All(Operations.All, o => Assert.All(o.Permissions, p => Assert.Contains(p, Permission.All)));
        // Every public row of the table is listed in All (a row left out would be unchecked by the matrix).
        var declared = typeof(Operations).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Operation)).Select(f => (Operation)f.GetValue(null)!).ToList();
        Assert.Equal(declared.Select(o => o.Name).Order(), Operations.All.Select(o => o.Name).Order());
    }

    [Fact]
    public void TheReadmeNamesEveryRowOfTheTable()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AccessTokenPanel.sln")))
        {
            folder = folder.Parent;
        }
        var readme = File.ReadAllText(Path.Combine(folder!.FullName, "README.md"));

        Assert.All(Operations.All, o => Assert.Contains($"`{o.Name}`", readme));
    }

    [Fact]
    public async Task AnUnenrolledSessionIsRefusedEveryOperation()
    {
        await using var scope = factory.Scope();
        var guard = scope.ServiceProvider.GetRequiredService<OperationGuard>();
        var unenrolled = Actor.Session("someone", new HashSet<string>(Permission.All), enrolled: false);

        foreach (var operation in Operations.All.Where(o => o.Actors.Contains(ActorKind.Session)))
        {
            var refused = await guard.AuthorizeAsync(unenrolled, operation, targetUserId: "someone");
            Assert.True(refused is { Kind: ErrorKind.Forbidden }, $"{operation.Name} let an unenrolled session through.");
        }
    }

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join(",", endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}";
}
