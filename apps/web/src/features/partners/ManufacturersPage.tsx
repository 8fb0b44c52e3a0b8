import { PartnersPage } from './PartnersPage';

export default function ManufacturersPage() {
  return <PartnersPage kind="manufacturer" />;
}
