import { Component, createRef } from 'preact';

interface Props {
  siteKey: string;
}

interface State {
  failed: boolean;
}

interface HCaptchaApi {
  render(container: HTMLElement, options: { sitekey: string; hl?: string }): string;
}

declare global {
  interface Window {
    hcaptcha?: HCaptchaApi;
    mbHcaptchaLoaded?: () => void;
  }
}

/**
 * The hCaptcha widget, only with JavaScript. It writes its answer into a hidden `h-captcha-response`
 * field of the surrounding form. Without JavaScript, or when hCaptcha cannot be loaded, the form
 * still sends: the coordinator sees "captcha niet gecontroleerd". A class component, so that the
 * page loads no hooks module: every kilobyte counts on an old phone.
 */
export default class HCaptcha extends Component<Props, State> {
  private readonly container = createRef<HTMLDivElement>();
  override state: State = { failed: false };

  override componentDidMount(): void {
    const render = () => {
      if (window.hcaptcha && this.container.current) window.hcaptcha.render(this.container.current, { sitekey: this.props.siteKey, hl: 'nl' });
    };
    if (window.hcaptcha) return render();
    window.mbHcaptchaLoaded = render;
    const script = document.createElement('script');
    script.src = 'https://js.hcaptcha.com/1/api.js?render=explicit&onload=mbHcaptchaLoaded&hl=nl';
    script.async = true;
    script.onerror = () => this.setState({ failed: true });
    document.head.appendChild(script);
  }

  override render() {
    return (
      <div class="mb-captcha">
        <div ref={this.container} />
        {this.state.failed && (
          <p class="utrecht-paragraph">De controle of u een mens bent kon niet worden geladen. U kunt uw melding toch versturen.</p>
        )}
      </div>
    );
  }
}
