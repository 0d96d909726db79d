namespace AccessTokenPanel.Web.Api;

/// <summary>Reads a form body (urlencoded or multipart) for an API, or says why it cannot be read.</summary>
internal static class ApiForm
{
    public static async Task<(IFormCollection? Form, string? Problem)> ReadAsync(HttpRequest request)
    {
        try
        {
            return (await request.ReadFormAsync(request.HttpContext.RequestAborted), null);
        }
        catch (InvalidDataException ex)
        {
            return (null, $"The form body could not be read: {ex.Message}");
        }
        catch (IOException) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The multipart reader reports a body that ends before its closing boundary this way.
            return (null, "The form body could not be read: the multipart body ends before its closing boundary.");
        }
    }
}
