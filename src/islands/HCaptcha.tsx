import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  siteKey: string;
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
 * still sends: the coordinator sees "captcha niet gecontroleerd".
 */
export default function HCaptcha({ siteKey }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const render = () => {
      if (window.hcaptcha && container.current) window.hcaptcha.render(container.current, { sitekey: siteKey, hl: 'nl' });
    };
    if (window.hcaptcha) {
      render();
      return;
    }
    window.mbHcaptchaLoaded = render;
    const script = document.createElement('script');
    script.src = 'https://js.hcaptcha.com/1/api.js?render=explicit&onload=mbHcaptchaLoaded&hl=nl';
    script.async = true;
    script.onerror = () => setFailed(true);
    document.head.appendChild(script);
  }, [siteKey]);

  return (
    <div class="mb-captcha">
      <div ref={container} />
      {failed && (
        <p class="utrecht-paragraph">De controle of u een mens bent kon niet worden geladen. U kunt uw melding toch versturen.</p>
      )}
    </div>
  );
}
