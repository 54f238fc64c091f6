// Start the NHS.UK frontend components (installed from npm into static/vendor).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
