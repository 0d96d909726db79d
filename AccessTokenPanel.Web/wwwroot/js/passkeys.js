// Passkey forms on the static account pages. A form marked data-passkey="create" or "request" is
// submitted by its button marked data-passkey-submit only after the browser's passkey dialog: the
// script asks the server for the WebAuthn options, lets the browser create or use a passkey, puts
// the result (JSON) or the reason it failed in the form's hidden fields and posts the form as usual.
// The server verifies everything; this script only carries the browser's answer. Listening on the
// document keeps it working after Blazor's enhanced navigation swaps the page.
(() => {
    const supported = typeof window.PublicKeyCredential === 'function'
        && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
        && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';

    async function options(url) {
        const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
        if (!response.ok) {
            let detail = `The server refused (${response.status}).`;
            try {
                const problem = await response.json();
                detail = problem.detail || problem.title || detail;
            } catch { /* not JSON */ }
            throw Object.assign(new Error(detail), { name: 'ServerRefused' });
        }
        return await response.json();
    }

    async function ceremony(form) {
        const operation = form.dataset.passkey;
        if (operation === 'create') {
            const json = await options(form.dataset.passkeyOptions);
            return await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) });
        }
        const json = await options(form.dataset.passkeyOptions);
        return await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
    }

    function field(form, name) {
        return form.querySelector(`input[type=hidden][name$="${name}"]`);
    }

    document.addEventListener('submit', async (event) => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.dataset.passkey || !event.submitter?.hasAttribute('data-passkey-submit')) {
            return;
        }
        event.preventDefault();
        const button = event.submitter;
        button.disabled = true;
        field(form, 'CredentialJson').value = '';
        field(form, 'Error').value = '';
        try {
            if (!supported) {
                throw Object.assign(new Error('This browser cannot use passkeys. Update it, or use your password and authentication code.'), { name: 'Unsupported' });
            }
            const credential = await ceremony(form);
            field(form, 'CredentialJson').value = JSON.stringify(credential);
        } catch (error) {
            field(form, 'Error').value =
                error.name === 'NotAllowedError' || error.name === 'AbortError'
                    ? 'The passkey dialog was closed or timed out, or no passkey was chosen.'
                    : error.name === 'InvalidStateError'
                        ? 'This authenticator already holds a passkey for your account.'
                        : error.message;
        }
        HTMLFormElement.prototype.submit.call(form);
    });
})();

// Step-up with a passkey on the interactive admin screens (Generate, Rotate, allowed addresses): the
// screen calls this through JS interop; it asks for options bound to the signed-in user's passkeys,
// lets the browser use one, and posts the answer for the server to verify. The server answers with a
// one-time proof that the screen hands to the operation; failures come back as { error }.
window.accessTokenPanelPasskeys = {
    async stepUp(optionsUrl, verifyUrl) {
        if (typeof window.PublicKeyCredential !== 'function' || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function') {
            return { error: 'This browser cannot use passkeys. Enter the code from your authenticator app.' };
        }
        async function detail(response) {
            try {
                const problem = await response.json();
                return problem.detail || problem.title || `The server refused (${response.status}).`;
            } catch {
                return `The server refused (${response.status}).`;
            }
        }
        try {
            const optionsResponse = await fetch(optionsUrl, { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
            if (!optionsResponse.ok) {
                return { error: await detail(optionsResponse) };
            }
            const options = PublicKeyCredential.parseRequestOptionsFromJSON(await optionsResponse.json());
            const credential = await navigator.credentials.get({ publicKey: options });
            const verifyResponse = await fetch(verifyUrl, {
                method: 'POST', credentials: 'same-origin',
                headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' },
                body: JSON.stringify(credential),
            });
            if (!verifyResponse.ok) {
                return { error: await detail(verifyResponse) };
            }
            return { proof: (await verifyResponse.json()).proof };
        } catch (error) {
            return {
                error: error.name === 'NotAllowedError' || error.name === 'AbortError'
                    ? 'The passkey dialog was closed or timed out, or no passkey was chosen.'
                    : error.message,
            };
        }
    },
};
