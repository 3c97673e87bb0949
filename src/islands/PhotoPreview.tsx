import { Component } from 'preact';

interface Props {
  /** The id of the file input whose chosen files are shown. */
  inputId: string;
}

interface State {
  previews: { name: string; url: string }[];
}

/**
 * Comfort only: small previews of the photos chosen in the BOA form's file input, before sending. Without
 * JavaScript the plain file input works the same. Data URLs (the CSP allows `data:` images), read in the
 * browser; nothing is sent until the form is. A class component, so that the page loads no hooks module.
 */
export default class PhotoPreview extends Component<Props, State> {
  override state: State = { previews: [] };
  private input: HTMLInputElement | null = null;

  private readonly onChange = (): void => {
    const files = [...(this.input?.files ?? [])].filter((f) => f.type.startsWith('image/') && f.type !== 'image/heic' && f.type !== 'image/heif').slice(0, 5);
    Promise.all(
      files.map(
        (file) =>
          new Promise<{ name: string; url: string }>((resolve) => {
            const reader = new FileReader();
            reader.onload = () => resolve({ name: file.name, url: typeof reader.result === 'string' ? reader.result : '' });
            reader.onerror = () => resolve({ name: file.name, url: '' });
            reader.readAsDataURL(file);
          }),
      ),
    ).then((previews) => this.setState({ previews: previews.filter((p) => p.url) }));
  };

  override componentDidMount(): void {
    this.input = document.getElementById(this.props.inputId) as HTMLInputElement | null;
    this.input?.addEventListener('change', this.onChange);
  }

  override componentWillUnmount(): void {
    this.input?.removeEventListener('change', this.onChange);
  }

  override render() {
    const { previews } = this.state;
    if (previews.length === 0) return null;
    return (
      <ul class="mb-photo-previews" aria-label="Gekozen foto's, nog niet verstuurd">
        {previews.map((p, i) => (
          <li key={`${i}-${p.name}`}>
            <img src={p.url} alt={`Gekozen foto ${i + 1}: ${p.name}`} />
          </li>
        ))}
      </ul>
    );
  }
}
