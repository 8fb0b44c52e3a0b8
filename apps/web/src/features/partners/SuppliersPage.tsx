import { PartnersPage } from './PartnersPage';

export default function SuppliersPage() {
  return <PartnersPage kind="supplier" />;
}
