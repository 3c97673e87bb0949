declare namespace App {
  interface Locals {
    /** Set by a page that embeds the hCaptcha widget: the CSP then allows hCaptcha's hosts. */
    allowHcaptcha?: boolean;
  }
}
