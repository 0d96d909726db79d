using AccessTokenPanel.Web.Api.Configuration;
using AccessTokenPanel.Web.Api.GraphQL;
using AccessTokenPanel.Web.Api.Rest;
using AccessTokenPanel.Web.Api.Scim;
using AccessTokenPanel.Web.Authentication;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OpenApi;

namespace AccessTokenPanel.Web.Api;

public static class ApiSetup
{
    public const string OpenApiDocument = "v1";

    /// <summary>The bearer scheme, the rate limiter and the services of the Configuration, SCIM and REST APIs.</summary>
    public static IServiceCollection AddPanelApis(this IServiceCollection services)
    {
        services.AddPanelBearerAuthentication();
        services.AddExternalJwtAuthentication();
        services.AddPanelGraphQL();
        services.AddPanelRateLimiting();
        services.AddScoped<BasicCredentials>();
        services.AddOptions<LeakReportOptions>().BindConfiguration(LeakReportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LeakReportSignature>();
        // Bad input has one path: binding failures throw, and the handler answers them (never a 500).
        services.AddTransient<IStartupFilter, RequestGuard>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.AllowDuplicateProperties = false);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                ApiProblems.DescribeBindingFailures(context);
            };
        });
        services.AddOpenApi(OpenApiDocument, options =>
        {
            options.ShouldInclude = description =>
                description.RelativePath is { } path && (path.StartsWith("api/v1", StringComparison.Ordinal) || path.StartsWith("api/config/v1", StringComparison.Ordinal));
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "AccessTokenPanel REST and Configuration APIs",
                    Version = "v1",
                    Description = "Send an API token as `Authorization: Bearer <token>`. REST API tokens call /api/v1, " +
                        "Configuration API tokens call /api/config/v1 with their delegated role's permissions. " +
                        "POST /api/v1/user-token takes HTTP Basic credentials plus the current code in X-OTP. " +
                        "The SCIM 2.0 API (/scim/v2) describes itself at /scim/v2/ServiceProviderConfig.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An AccessTokenPanel API token (atp_rest_… or atp_cfg_…).",
                };
                document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "basic",
                    Description = "Email and password, for the user-token endpoints (plus X-OTP to create one).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var scheme = metadata.OfType<TokenApiMetadata>().Any() ? "bearer"
                    : context.Description.RelativePath?.StartsWith("api/v1/user-token", StringComparison.Ordinal) == true ? "basic"
                    : null;
                if (scheme is not null)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
                }
                if (operation.OperationId == "ReportLeakedTokens")
                {
                    AddRequiredHeader(operation, LeakReportSignature.KeyIdentifierHeader,
                        "Which of the configured LeakReports:PublicKeys signed the report.");
                    AddRequiredHeader(operation, LeakReportSignature.SignatureHeader,
                        "Base64 of the ECDSA P-256 SHA-256 signature (DER) of the raw body.");
                }
                if (operation.OperationId is "CreateUserToken" or "IssueToken" or "RotateToken" or "RotateAnyToken"
                    or "CreateExternalTokenValidator" or "UpdateExternalTokenValidator" or "DeleteExternalTokenValidator")
                {
                    AddRequiredHeader(operation, BasicCredentials.OtpHeader,
                        "The current code from the caller's authenticator app (each code works once).");
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Maps /api/v1, /api/config/v1, /scim/v2 and the OpenAPI document at /openapi/v1.json.</summary>
    public static IEndpointRouteBuilder MapPanelApis(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRestApi();
        endpoints.MapConfigurationApi();
        endpoints.MapScimApi();
        endpoints.MapPanelGraphQL();
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return endpoints;
    }

    private static void AddRequiredHeader(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = true,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }
}
